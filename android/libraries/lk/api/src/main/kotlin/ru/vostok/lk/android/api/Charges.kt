package ru.vostok.lk.android.api

import java.math.BigDecimal
import java.time.LocalDate
import java.time.YearMonth

/** Payment documents (R7, R8) and the split of a payment by service (R9). */
interface LkCharges {
    suspend fun documents(account: String): Cached<List<DocumentSummary>>

    suspend fun document(account: String, period: YearMonth): Cached<PaymentDocument>

    /**
     * How [total] (as typed: `1 500,00`, `1500.5`) splits over the document's services, the
     * amounts in [fixed] kept on their lines; the core's allocation, instant and offline. A typo
     * fails with `invalid_input` under the field `total` or `fixed`.
     */
    fun split(document: PaymentDocument, total: String, fixed: Map<String, BigDecimal>): Split

    /** An amount as the person typed it (`1 234,56`), read by the core; a typo fails with `invalid_input` under `fixed`. */
    fun amount(text: String): BigDecimal

    /** The document as PDF, made on the device as printed (offline from the store). */
    fun pdf(document: PaymentDocument): ByteArray

    /** The service e-mails the document to [email], or to the profile's; queued when offline. */
    suspend fun email(account: String, period: YearMonth, email: String?): OutboxItem
}

data class DocumentSummary(
    val period: YearMonth,
    val issuedOn: LocalDate,
    val dueDate: LocalDate,
    val toPay: BigDecimal,
    val amountDue: BigDecimal
)

/** R7: the document's 8 columns per service, the totals, the recalculations. */
data class PaymentDocument(
    val account: String,
    val owner: String,
    val address: String,
    val period: YearMonth,
    val issuedOn: LocalDate,
    val dueDate: LocalDate,
    val payee: Supplier,
    val lines: List<ChargeRow>,
    val totals: ChargeTotals,
    val recalculations: List<Recalculation>
)

/** One service's line, its columns numbered as printed. */
data class ChargeRow(
    val serviceCode: String,
    /** 1 */
    val serviceName: String,
    val unit: MeasureUnit,
    /** 2 */
    val tariff: BigDecimal,
    /** 3 */
    val debt: BigDecimal,
    /** 4 */
    val paid: BigDecimal,
    /** 5 */
    val volume: BigDecimal,
    /** 6 = 2 × 5 */
    val charged: BigDecimal,
    /** 7 */
    val recalculation: BigDecimal,
    /** 8 = 3 − 4 + 6 + 7 */
    val toPay: BigDecimal,
    /** The payer may change this line's share of a payment (R9). */
    val editable: Boolean
)

data class ChargeTotals(
    val debt: BigDecimal,
    val paid: BigDecimal,
    val charged: BigDecimal,
    val recalculation: BigDecimal,
    val toPay: BigDecimal,
    val amountDue: BigDecimal,
    val credit: BigDecimal
)

data class Recalculation(val serviceCode: String, val amount: BigDecimal, val reason: String)

data class Split(val total: BigDecimal, val parts: List<SplitPart>)

data class SplitPart(val serviceCode: String, val amount: BigDecimal, val fixed: Boolean)
