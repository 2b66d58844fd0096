package ru.vostok.lk.android.api

import java.math.BigDecimal
import java.time.Instant
import java.time.LocalDate

/**
 * A meter reader's rounds (R24): routes kept on the device for work without a connection,
 * captures judged by the core before they are saved, the journal of what the service made of them.
 */
interface LkRounds {
    /** The reader's routes; offline, the list last seen. */
    suspend fun list(): Cached<List<RoundSummary>>

    /** The whole route, kept on the device. */
    suspend fun download(id: String): Cached<Route>

    /** The route as downloaded last, without the network; null if it never was. */
    fun route(id: String): Route?

    /** What the service will make of the capture with [photos] taken, and whether a photo is what it lacks. */
    fun assess(roundId: String, draft: CaptureDraft, photos: Int): Assessment

    /** Saves the capture with its dial photo and queues it; what the service would reject is refused here. */
    suspend fun capture(roundId: String, draft: CaptureDraft, photoPath: String?): OutboxItem

    /** The route's captures in the order made, with the service's answer once it came. */
    fun journal(roundId: String): List<JournalEntry>

    fun progress(roundId: String): RoundProgress
}

data class RoundSummary(val id: String, val name: String, val stops: Int, val meters: Int, val captured: Int)

data class Route(val id: String, val name: String, val version: Int, val today: LocalDate, val stops: List<RouteStop>)

data class RouteStop(
    val id: String,
    val building: String,
    val entrance: Int,
    val flat: String,
    val address: String,
    val accessNote: String,
    val owner: String,
    val cancelled: Boolean,
    val meters: List<RouteMeter>
)

data class RouteMeter(
    val id: String,
    val kind: MeterKind,
    val serial: String,
    val zones: List<TariffZone>,
    val previous: List<ZoneValue>?,
    val previousAt: Instant?,
    val expected: List<ExpectedRange>
)

data class ExpectedRange(val zone: TariffZone, val low: BigDecimal, val high: BigDecimal)

enum class SkipReason { NO_ACCESS, FAULTY, SEAL_BROKEN, UNREADABLE, MISSING }

/** What the reader recorded for a meter. */
sealed interface Recorded {
    /** [writtenSerial]: the number on the meter when it is not the route's; null when it matches. */
    data class Reading(val values: Map<TariffZone, String>, val writtenSerial: String?) : Recorded

    data class Skip(val reason: SkipReason, val note: String) : Recorded

    data class NotOnRoute(val serial: String, val kind: MeterKind, val values: Map<TariffZone, String>, val note: String) : Recorded
}

data class Position(val latitude: BigDecimal, val longitude: BigDecimal, val accuracyMetres: Int)

data class CaptureDraft(val stopId: String, val meterId: String?, val recorded: Recorded, val position: Position?)

enum class CaptureStatus { ACCEPTED, NEEDS_REVIEW, REJECTED }

data class Assessment(val status: CaptureStatus, val reasons: List<String>, val photoNeeded: Boolean)

enum class CaptureState { SAVED, SENT, ACCEPTED, NEEDS_REVIEW, REJECTED }

data class JournalEntry(
    val itemId: Long,
    val stopId: String,
    val meterId: String?,
    val state: CaptureState,
    val reasons: List<String>,
    val takenAt: Instant
)

data class RoundProgress(val done: Int, val skipped: Int, val left: Int)
