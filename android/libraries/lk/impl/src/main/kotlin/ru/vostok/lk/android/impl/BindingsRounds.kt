package ru.vostok.lk.android.impl

import ru.vostok.lk.CaptureDraft as CoreDraft
import ru.vostok.lk.Rounds
import ru.vostok.lk.android.api.Assessment
import ru.vostok.lk.android.api.Cached
import ru.vostok.lk.android.api.CaptureDraft
import ru.vostok.lk.android.api.CaptureState
import ru.vostok.lk.android.api.CaptureStatus
import ru.vostok.lk.android.api.ExpectedRange
import ru.vostok.lk.android.api.JournalEntry
import ru.vostok.lk.android.api.LkFailure
import ru.vostok.lk.android.api.LkRounds
import ru.vostok.lk.android.api.OutboxItem
import ru.vostok.lk.android.api.Recorded
import ru.vostok.lk.android.api.RoundProgress
import ru.vostok.lk.android.api.RoundSummary
import ru.vostok.lk.android.api.Route
import ru.vostok.lk.android.api.RouteMeter
import ru.vostok.lk.android.api.RouteStop
import ru.vostok.lk.core.Position
import ru.vostok.lk.core.Recorded as CoreRecorded
import ru.vostok.lk.core.RoundView
import ru.vostok.lk.core.SerialCheck
import ru.vostok.lk.core.SkipReason
import ru.vostok.lk.core.meterKindZones

class BindingsRounds(private val rounds: Rounds) : LkRounds {
    override suspend fun list(): Cached<List<RoundSummary>> = core {
        val cached = rounds.list()
        Cached(
            cached.value.rounds.map { RoundSummary(it.id, it.name, it.stops.toInt(), it.meters.toInt(), it.captured.toInt()) },
            cached.refreshedAt
        )
    }

    override suspend fun download(id: String): Cached<Route> = core {
        val cached = rounds.download(id)
        Cached(cached.value.api(), cached.refreshedAt)
    }

    override fun route(id: String): Route? = try {
        core { rounds.route(id).api() }
    } catch (e: LkFailure) {
        null
    }

    override fun assess(roundId: String, draft: CaptureDraft, photos: Int): Assessment = core {
        val a = rounds.assess(roundId, draft.core(), photos.toUInt())
        Assessment(CaptureStatus.valueOf(a.status.name), a.reasons, a.photoNeeded)
    }

    override suspend fun capture(roundId: String, draft: CaptureDraft, photoPath: String?): OutboxItem =
        core { rounds.capture(roundId, draft.core(), photoPath).api() }

    override fun journal(roundId: String): List<JournalEntry> = core {
        rounds.journal(roundId).map {
            JournalEntry(
                it.itemId,
                it.capture.stopId,
                it.capture.meterId,
                CaptureState.valueOf(it.state.name),
                it.reasons,
                it.capture.takenAt
            )
        }
    }

    override fun progress(roundId: String): RoundProgress = core {
        val p = rounds.progress(roundId)
        RoundProgress(p.done.toInt(), p.skipped.toInt(), p.left.toInt())
    }

    private fun RoundView.api() = Route(
        id = id,
        name = name,
        version = version.toInt(),
        today = today,
        stops = stops.map { s ->
            RouteStop(
                id = s.id,
                building = s.building,
                entrance = s.entrance.toInt(),
                flat = s.flat,
                address = s.address,
                accessNote = s.accessNote,
                owner = s.owner,
                cancelled = s.cancelled,
                meters = s.meters.map { m ->
                    val kind = m.meter.kind.api()
                    RouteMeter(
                        id = m.meter.id,
                        kind = kind,
                        serial = m.meter.serial,
                        zones = m.previous?.values?.map { it.zone.api() } ?: meterKindZones(m.meter.kind).map { it.api() },
                        previous = m.previous?.values?.map { it.api() },
                        previousAt = m.previousAcceptedAt,
                        expected = m.expected.map { ExpectedRange(it.zone.api(), it.low, it.high) }
                    )
                }
            )
        }
    )

    private fun CaptureDraft.core() = CoreDraft(
        stopId = stopId,
        meterId = meterId,
        recorded = when (val r = recorded) {
            is Recorded.Reading -> CoreRecorded.Reading(
                r.writtenSerial?.let { SerialCheck.Differs(it) } ?: SerialCheck.Confirmed,
                r.values.inputs()
            )

            is Recorded.Skip -> CoreRecorded.Skip(SkipReason.valueOf(r.reason.name), r.note)

            is Recorded.NotOnRoute -> CoreRecorded.NotOnRoute(r.serial, r.kind.core(), r.values.inputs(), r.note)
        },
        position = position?.let { Position(it.latitude, it.longitude, it.accuracyMetres.toUInt()) }
    )
}
