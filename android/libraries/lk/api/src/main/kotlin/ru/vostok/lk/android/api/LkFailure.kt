package ru.vostok.lk.android.api

/**
 * Every failure of the LK, as the core gives it: [code] is the core's stable wire code
 * (`invalid_credentials`, `offline`…), [text] the Russian sentence to show as it is, [field] the
 * form field at fault, to put the text under it.
 */
class LkFailure(val code: String, val text: String, val field: String? = null) : Exception(text) {
    /** Nothing reached the service: the screen keeps what the store has and says so. */
    val isNoConnection: Boolean get() = code in NO_CONNECTION

    /** The session is gone: the app goes back to sign-in. */
    val needsSignIn: Boolean get() = code in SIGN_IN_AGAIN

    private companion object {
        val NO_CONNECTION = setOf(FailureCode.OFFLINE, FailureCode.TIMEOUT, FailureCode.SERVER_UNAVAILABLE)
        val SIGN_IN_AGAIN = setOf(FailureCode.SESSION_EXPIRED, FailureCode.UNAUTHORIZED)
    }
}

/** The core's codes that the app acts on besides showing their text. */
object FailureCode {
    const val OFFLINE = "offline"
    const val TIMEOUT = "timeout"
    const val SERVER_UNAVAILABLE = "server_unavailable"
    const val SESSION_EXPIRED = "session_expired"
    const val UNAUTHORIZED = "unauthorized"
    const val CANCELLED = "cancelled"
    const val INVALID_INPUT = "invalid_input"
    const val CAPTCHA_WRONG = "captcha_wrong"
    const val CAPTCHA_EXPIRED = "captcha_expired"
    const val USE_LINK = "use_link"
    const val READING_NOT_CONFIRMED = "reading_not_confirmed"
}
