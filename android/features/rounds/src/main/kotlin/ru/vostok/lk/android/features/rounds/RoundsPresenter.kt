package ru.vostok.lk.android.features.rounds

import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch
import ru.vostok.lk.android.api.Lk
import ru.vostok.lk.android.api.LkFailure
import ru.vostok.lk.android.presentation.Destination
import ru.vostok.lk.android.presentation.Navigator
import ru.vostok.lk.android.presentation.Presenter
import ru.vostok.lk.android.presentation.Wording

data class RoundRow(val id: String, val name: String, val detail: String, val description: String)

data class RoundsState(
    val loading: Boolean = true,
    val rows: List<RoundRow> = emptyList(),
    val notice: String? = null,
    val error: String? = null,
    val empty: String? = null
)

sealed interface RoundsEvent {
    data object Refresh : RoundsEvent

    data class Open(val id: String) : RoundsEvent

    data object SignOut : RoundsEvent
}

/** R24: the reader's routes, kept for work where there is no signal. */
class RoundsPresenter(
    private val lk: Lk,
    private val wording: Wording,
    private val navigator: Navigator,
    private val scope: CoroutineScope
) : Presenter<RoundsState, RoundsEvent> {
    private val mutable = MutableStateFlow(RoundsState())
    override val state: StateFlow<RoundsState> = mutable

    init {
        load()
    }

    override fun onEvent(event: RoundsEvent) {
        when (event) {
            RoundsEvent.Refresh -> load()
            is RoundsEvent.Open -> navigator.go(Destination.Round(event.id))
            RoundsEvent.SignOut -> navigator.go(Destination.Settings)
        }
    }

    private fun load() {
        mutable.update { it.copy(loading = true, error = null) }
        scope.launch {
            try {
                val asked = wording.now()
                val cached = lk.rounds.list()
                val f = wording.format
                val rows = cached.value.map { r ->
                    val stops = f.count(r.stops.toLong(), "адрес", "адреса", "адресов")
                    val meters = f.count(r.meters.toLong(), "счётчик", "счётчика", "счётчиков")
                    val detail = "$stops, $meters, снято ${r.captured}"
                    RoundRow(r.id, r.name, detail, "${r.name}: $detail")
                }
                mutable.update {
                    it.copy(
                        loading = false,
                        rows = rows,
                        notice = wording.freshness(cached, asked),
                        empty = if (rows.isEmpty()) "Маршрутов обхода пока нет" else null
                    )
                }
            } catch (e: LkFailure) {
                mutable.update { it.copy(loading = false, error = wording.failure(e)) }
            }
        }
    }
}
