package ru.vostok.lk.android.features.rounds

import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch
import ru.vostok.lk.android.api.CaptureState
import ru.vostok.lk.android.api.Lk
import ru.vostok.lk.android.api.LkFailure
import ru.vostok.lk.android.api.OutboxKind
import ru.vostok.lk.android.api.OutboxState
import ru.vostok.lk.android.api.Route
import ru.vostok.lk.android.presentation.Destination
import ru.vostok.lk.android.presentation.Navigator
import ru.vostok.lk.android.presentation.Presenter
import ru.vostok.lk.android.presentation.Wording

data class StopRow(
    val id: String,
    /** "подъезд 2, кв. 45". */
    val title: String,
    val address: String,
    /** "2 из 3 снято", "Отменён офисом". */
    val status: String,
    val done: Boolean,
    val cancelled: Boolean,
    val description: String
)

data class RouteState(
    val title: String = "",
    val loading: Boolean = true,
    /** "Снято 12, пропущено 3, осталось 185". */
    val progress: String? = null,
    /** What waits for the network and what the service answered. */
    val sync: String? = null,
    val stops: List<StopRow> = emptyList(),
    val notice: String? = null,
    val error: String? = null
)

sealed interface RouteEvent {
    data object Refresh : RouteEvent

    data class Open(val stopId: String) : RouteEvent

    data object SyncNow : RouteEvent
}

/** R24: a route in the order it is walked, its progress by the core, and the sync status of its captures. */
class RoutePresenter(
    private val roundId: String,
    private val lk: Lk,
    private val wording: Wording,
    private val navigator: Navigator,
    private val scope: CoroutineScope
) : Presenter<RouteState, RouteEvent> {
    private val mutable = MutableStateFlow(RouteState())
    override val state: StateFlow<RouteState> = mutable
    private var route: Route? = null

    init {
        lk.rounds.route(roundId)?.let(::show)
        download()
        scope.launch { lk.readings.outbox.collect { refreshStatus() } }
    }

    override fun onEvent(event: RouteEvent) {
        when (event) {
            RouteEvent.Refresh -> download()

            is RouteEvent.Open -> navigator.go(Destination.Stop(roundId, event.stopId))

            RouteEvent.SyncNow -> scope.launch {
                try {
                    lk.syncNow()
                } catch (e: LkFailure) {
                    mutable.update { it.copy(error = wording.failure(e)) }
                }
                refreshStatus()
            }
        }
    }

    private fun download() {
        mutable.update { it.copy(loading = route == null, error = null) }
        scope.launch {
            try {
                val asked = wording.now()
                val cached = lk.rounds.download(roundId)
                show(cached.value)
                mutable.update { it.copy(loading = false, notice = wording.freshness(cached, asked)) }
            } catch (e: LkFailure) {
                // Offline with the route kept: work goes on from the phone.
                val kept = route != null
                mutable.update {
                    it.copy(
                        loading = false,
                        notice = if (kept &&
                            e.isNoConnection
                        ) {
                            "Нет связи с сервером. Маршрут сохранён на телефоне, снятые показания отправятся позже"
                        } else {
                            it.notice
                        },
                        error = if (kept && e.isNoConnection) null else wording.failure(e)
                    )
                }
            }
        }
    }

    private fun show(route: Route) {
        this.route = route
        mutable.update { it.copy(title = route.name) }
        refreshStatus()
    }

    private fun refreshStatus() {
        val route = route ?: return
        val f = wording.format
        val journal = try {
            lk.rounds.journal(roundId)
        } catch (e: LkFailure) {
            emptyList()
        }
        val progress = try {
            lk.rounds.progress(roundId)
        } catch (e: LkFailure) {
            null
        }
        val captured = journal.filter { it.state != CaptureState.REJECTED }.groupBy { it.stopId }
        val stops = route.stops.map { stop ->
            val done = captured[stop.id].orEmpty().mapNotNull { it.meterId }.toSet().size
            val title = "подъезд ${stop.entrance}, кв. ${stop.flat}"
            val status = when {
                stop.cancelled -> "Отменён офисом"
                done >= stop.meters.size -> "Все счётчики сняты"
                else -> "Снято $done из ${stop.meters.size}"
            }
            StopRow(stop.id, title, stop.address, status, done >= stop.meters.size, stop.cancelled, "${stop.address}, $title. $status")
        }
        val waiting = lk.readings.outbox.value.count { it.kind == OutboxKind.ROUND_CAPTURE && it.state == OutboxState.QUEUED }.toLong()
        val review = journal.count { it.state == CaptureState.NEEDS_REVIEW }.toLong()
        val rejected = journal.count { it.state == CaptureState.REJECTED }.toLong()
        val sync = listOfNotNull(
            if (waiting >
                0
            ) {
                "${f.count(waiting, "снятие", "снятия", "снятий")} ${f.plural(waiting, "ждёт", "ждут", "ждут")} связи"
            } else {
                "Всё отправлено"
            },
            if (review > 0) "на проверке в офисе: $review" else null,
            if (rejected > 0) "отклонено: $rejected, снимите заново" else null
        ).joinToString(", ")
        mutable.update {
            it.copy(
                stops = stops,
                progress = progress?.let { p -> "Снято ${p.done}, пропущено ${p.skipped}, осталось ${p.left}" },
                sync = sync
            )
        }
    }
}
