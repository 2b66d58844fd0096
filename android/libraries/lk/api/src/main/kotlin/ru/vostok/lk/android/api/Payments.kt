package ru.vostok.lk.android.api

import java.math.BigDecimal
import java.time.Instant
import java.time.YearMonth

/** Card payments through the acquirer's page (R9, R23). The status is always the core's. */
interface LkPayments {
    /** Starts a payment: open [PaymentState.confirmationUrl] in the browser, then [awaitResult]. */
    suspend fun start(
        account: String,
        period: YearMonth,
        total: String,
        fixed: Map<String, BigDecimal>,
        receiptContact: String,
        returnUrl: String
    ): PaymentState

    /** Asks the service, which asks the acquirer, where the payment stands. */
    suspend fun resolve(id: String): PaymentState

    /** Waits until the payment is final; cancelling the coroutine stops the wait. */
    suspend fun awaitResult(id: String): PaymentState

    /** On app start: payments left open on the acquirer's page when the app died, resolved. */
    suspend fun resolvePending(): List<PaymentState>

    /** R13: a paid payment's receipt copy as PDF. */
    fun receiptPdf(id: String): ByteArray
}

enum class PaymentStatus { CREATED, PENDING, SUCCEEDED, DECLINED, CANCELED }

data class PaymentState(
    val id: String,
    val account: String,
    val total: BigDecimal,
    val status: PaymentStatus,
    /** The core's Russian words for the status (and why a failed one failed). */
    val statusText: String,
    val confirmationUrl: String?,
    val createdAt: Instant,
    val hasReceipt: Boolean
)
