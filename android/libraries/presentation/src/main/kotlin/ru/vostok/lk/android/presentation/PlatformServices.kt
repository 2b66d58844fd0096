package ru.vostok.lk.android.presentation

/** The acquirer's page in a Custom Tab (R23); the way back is the app link, handled by the app. */
interface PaymentBrowser {
    fun open(url: String)
}

/** Showing and sending a PDF the core made: the system viewer, the share sheet. */
interface DocumentSharing {
    fun open(pdf: ByteArray, fileName: String)

    fun share(pdf: ByteArray, fileName: String, title: String)
}

/** R22: notifications are asked for at a moment that explains them, and only once. */
interface NotificationPermission {
    /** Granted already, or the platform needs no asking. */
    val granted: Boolean

    /** Shows the system's question; the answer comes back through the push provider's token. */
    fun request()
}

/** The phone's last known position for a reader's capture (R24); null without a fix or permission. */
fun interface PositionSource {
    fun current(): ru.vostok.lk.android.api.Position?
}
