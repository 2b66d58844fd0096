package ru.vostok.lk.android.api

import java.math.BigDecimal
import java.time.Instant
import java.time.LocalDate
import java.time.YearMonth
import kotlinx.coroutines.flow.StateFlow

/** Meters and readings (R10–R12, R21) and the outbox of actions made on the device. */
interface LkReadings {
    suspend fun meters(account: String): Cached<Meters>

    /** What the core's checks find in the typed values (offline: against the stored meters). */
    suspend fun check(account: String, meterId: String, values: Map<TariffZone, String>): ReadingCheck

    /**
     * Queues the reading with the findings the person confirmed and the dial photo (copied into
     * the store now); sent when online. [recognised]: the values were chosen from [recognise].
     */
    suspend fun submit(
        account: String,
        meterId: String,
        values: Map<TariffZone, String>,
        confirmed: List<String>,
        photoPath: String?,
        recognised: Boolean
    ): OutboxItem

    /** R21: what the recognised texts of a dial photo may read for [zone], best first, by the core. */
    fun recognise(account: String, meterId: String, zone: TariffZone, texts: List<RecognisedText>): List<Proposal>

    /** The outbox at once, then every change. */
    val outbox: StateFlow<List<OutboxItem>>

    fun retry(itemId: Long)

    fun retryWithoutPhoto(itemId: Long)

    fun dismiss(itemId: Long)
}

data class Meters(
    /** The region's date by the service's clock. */
    val today: LocalDate,
    val windowOpen: Boolean,
    val windowFirstDay: Int,
    val windowLastDay: Int,
    /** The billing month readings count for now. */
    val period: YearMonth?,
    val meters: List<MeterItem>
)

enum class Verification { VALID, ENDS_SOON, EXPIRED }

data class MeterItem(
    val id: String,
    val kind: MeterKind,
    val serial: String,
    val serviceCode: String,
    /** What its consumption is counted in. */
    val unit: MeasureUnit,
    val integerDigits: Int,
    val fractionDigits: Int,
    val nextVerification: LocalDate,
    /** By the core's rule on [Meters.today]. */
    val verification: Verification,
    val zones: List<TariffZone>,
    /** The reading at the start of the period: what a new one is compared with. */
    val start: List<ZoneValue>,
    /** This period's reading, if one is in. */
    val current: List<ZoneValue>?,
    val currentTakenAt: Instant?
)

data class ZoneValue(val zone: TariffZone, val value: BigDecimal)

enum class Severity { REFUSE, CONFIRM, INFO }

/** A finding of the checks; [code] is the core's, to send back as confirmed. */
data class Finding(val code: String, val severity: Severity, val zone: TariffZone?, val message: String)

data class ZoneResult(val zone: TariffZone, val value: BigDecimal?, val previous: BigDecimal?, val consumption: BigDecimal?)

data class ReadingCheck(
    val zones: List<ZoneResult>,
    val findings: List<Finding>,
    /** A finding refuses it: it cannot be sent as typed (the core's judgement). */
    val refused: Boolean,
    /** The codes the person must confirm to send it. */
    val toConfirm: List<String>,
    val period: YearMonth?
)

data class RecognisedText(val text: String, val confidence: Float)

data class Proposal(val value: BigDecimal, val findings: List<Finding>)

/** An action made on this device, as the outbox shows it. */
data class OutboxItem(
    val id: Long,
    val kind: OutboxKind,
    val title: String,
    val createdAt: Instant,
    val state: OutboxState,
    val attempts: Int,
    /** Why the service refused it. */
    val error: LkFailure?,
    val hasPhoto: Boolean
)
