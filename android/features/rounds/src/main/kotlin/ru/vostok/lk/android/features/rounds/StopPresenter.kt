package ru.vostok.lk.android.features.rounds

import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch
import ru.vostok.lk.android.api.CaptureDraft
import ru.vostok.lk.android.api.CaptureStatus
import ru.vostok.lk.android.api.Lk
import ru.vostok.lk.android.api.LkFailure
import ru.vostok.lk.android.api.OutboxState
import ru.vostok.lk.android.api.Recorded
import ru.vostok.lk.android.api.RouteMeter
import ru.vostok.lk.android.api.RouteStop
import ru.vostok.lk.android.api.SkipReason
import ru.vostok.lk.android.api.TariffZone
import ru.vostok.lk.android.presentation.Navigator
import ru.vostok.lk.android.presentation.PositionSource
import ru.vostok.lk.android.presentation.Presenter
import ru.vostok.lk.android.presentation.Wording

data class CaptureZone(val zone: TariffZone, val label: String, val text: String = "", val expected: String?)

data class MeterCapture(
    val meterId: String,
    /** "Горячая вода, № 12345678". */
    val title: String,
    /** "Прошлое: 99 990,5 (21.10.2026)". */
    val previous: String?,
    val zones: List<CaptureZone>,
    /** The serial on the meter when it is not the route's. */
    val writtenSerial: String = "",
    val serialDiffers: Boolean = false,
    val skip: SkipReason? = null,
    val note: String = "",
    val photoPath: String? = null,
    /** The core's judgement of what is filled in: "Будет принято", "Попадёт на проверку: …". */
    val verdict: String? = null,
    val photoNeeded: Boolean = false,
    val canSave: Boolean = false,
    val saved: String? = null,
    val error: String? = null
)

data class StopState(
    val title: String = "",
    val address: String = "",
    val accessNote: String? = null,
    val owner: String = "",
    val meters: List<MeterCapture> = emptyList(),
    val skipReasons: List<Pair<SkipReason, String>> = emptyList(),
    val cancelled: Boolean = false,
    val error: String? = null
)

sealed interface StopEvent {
    data class Typed(val meterId: String, val zone: TariffZone, val text: String) : StopEvent

    data class SerialDiffers(val meterId: String, val differs: Boolean, val written: String) : StopEvent

    data class Skip(val meterId: String, val reason: SkipReason?, val note: String) : StopEvent

    data class Photo(val meterId: String, val path: String?) : StopEvent

    data class Save(val meterId: String) : StopEvent

    data object Close : StopEvent
}

/**
 * R24: a stop of the route: each meter read (a value per zone, the serial confirmed or the one
 * written on it) or skipped with a reason; before saving, the core judges the capture as the
 * service will, and asks for the camera when a photo is what it lacks; saved captures wait on
 * the phone for the network, with the time and the position.
 */
class StopPresenter(
    private val roundId: String,
    private val stopId: String,
    private val lk: Lk,
    private val wording: Wording,
    private val navigator: Navigator,
    private val position: PositionSource,
    private val scope: CoroutineScope
) : Presenter<StopState, StopEvent> {
    private val mutable = MutableStateFlow(StopState())
    override val state: StateFlow<StopState> = mutable
    private var stop: RouteStop? = null

    init {
        load()
    }

    override fun onEvent(event: StopEvent) {
        when (event) {
            is StopEvent.Typed -> change(event.meterId) { m ->
                m.copy(zones = m.zones.map { if (it.zone == event.zone) it.copy(text = event.text) else it }, skip = null)
            }

            is StopEvent.SerialDiffers -> change(event.meterId) { it.copy(serialDiffers = event.differs, writtenSerial = event.written) }

            is StopEvent.Skip -> change(event.meterId) { it.copy(skip = event.reason, note = event.note) }

            is StopEvent.Photo -> change(event.meterId) { it.copy(photoPath = event.path) }

            is StopEvent.Save -> save(event.meterId)

            StopEvent.Close -> navigator.back()
        }
    }

    private fun load() {
        val route = lk.rounds.route(roundId)
        val found = route?.stops?.firstOrNull { it.id == stopId }
        if (found == null) {
            mutable.update { it.copy(error = "Маршрут не загружен на телефон. Откройте его при связи") }
            return
        }
        stop = found
        val f = wording.format
        mutable.update {
            it.copy(
                title = "Подъезд ${found.entrance}, кв. ${found.flat}",
                address = found.address,
                accessNote = found.accessNote.ifBlank { null },
                owner = found.owner,
                cancelled = found.cancelled,
                meters = found.meters.map(::meter),
                skipReasons = SkipReason.entries.map { r -> r to f.skipReason(r) }
            )
        }
    }

    private fun meter(m: RouteMeter): MeterCapture {
        val f = wording.format
        val single = m.zones.size == 1
        val previous = m.previous?.let { values ->
            val text = if (values.size ==
                1
            ) {
                f.number(values.single().value)
            } else {
                values.joinToString("; ") { "${f.zone(it.zone)}: ${f.number(it.value)}" }
            }
            val day = m.previousAt?.let { " (${wording.day(it)})" } ?: ""
            "Прошлое: $text$day"
        }
        return MeterCapture(
            meterId = m.id,
            title = "${f.meterKind(m.kind)}, № ${m.serial}",
            previous = previous,
            zones = m.zones.map { zone ->
                val range = m.expected.firstOrNull { it.zone == zone }?.let { "ожидается от ${f.number(it.low)} до ${f.number(it.high)}" }
                CaptureZone(zone, if (single) "Показание" else f.zone(zone), expected = range)
            }
        )
    }

    private fun draft(m: MeterCapture): CaptureDraft? {
        val recorded = when {
            m.skip != null -> Recorded.Skip(m.skip, m.note.trim())

            m.zones.all {
                it.text.isNotBlank()
            } -> Recorded.Reading(m.zones.associate { it.zone to it.text.trim() }, m.writtenSerial.trim().takeIf { m.serialDiffers })

            else -> return null
        }
        return CaptureDraft(stopId, m.meterId, recorded, position.current())
    }

    /** Every change is judged by the core at once: what the service will say, and whether a photo is needed first. */
    private fun change(meterId: String, edit: (MeterCapture) -> MeterCapture) {
        mutable.update { s ->
            s.copy(
                meters = s.meters.map {
                    if (it.meterId ==
                        meterId
                    ) {
                        judge(edit(it).copy(saved = null, error = null))
                    } else {
                        it
                    }
                }
            )
        }
    }

    private fun judge(m: MeterCapture): MeterCapture {
        val draft = draft(m) ?: return m.copy(verdict = null, photoNeeded = false, canSave = false)
        val photos = if (m.photoPath != null) 1 else 0
        return try {
            val a = lk.rounds.assess(roundId, draft, photos)
            val reasons = a.reasons.joinToString("; ")
            val verdict = when (a.status) {
                CaptureStatus.ACCEPTED -> "Будет принято"
                CaptureStatus.NEEDS_REVIEW -> "Попадёт на проверку в офис: $reasons"
                CaptureStatus.REJECTED -> "Не будет принято: $reasons"
            }
            val photoNeeded = a.photoNeeded && photos == 0
            m.copy(
                verdict = if (photoNeeded) "Нужна фотография счётчика. $verdict" else verdict,
                photoNeeded = photoNeeded,
                canSave = !photoNeeded && a.status != CaptureStatus.REJECTED
            )
        } catch (e: LkFailure) {
            m.copy(verdict = null, photoNeeded = false, canSave = false, error = wording.failure(e))
        }
    }

    private fun save(meterId: String) {
        val m = mutable.value.meters.firstOrNull { it.meterId == meterId } ?: return
        if (!m.canSave) return
        val draft = draft(m) ?: return
        scope.launch {
            try {
                val item = lk.rounds.capture(roundId, draft, m.photoPath)
                val saved = if (item.state == OutboxState.QUEUED) "Сохранено на телефоне, отправится при связи" else "Отправлено"
                mutable.update { s ->
                    s.copy(
                        meters = s.meters.map {
                            if (it.meterId ==
                                meterId
                            ) {
                                it.copy(saved = saved, canSave = false)
                            } else {
                                it
                            }
                        }
                    )
                }
            } catch (e: LkFailure) {
                mutable.update { s ->
                    s.copy(
                        meters = s.meters.map {
                            if (it.meterId ==
                                meterId
                            ) {
                                it.copy(error = wording.failure(e))
                            } else {
                                it
                            }
                        }
                    )
                }
            }
        }
    }
}
