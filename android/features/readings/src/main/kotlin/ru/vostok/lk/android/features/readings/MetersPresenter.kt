package ru.vostok.lk.android.features.readings

import java.time.temporal.ChronoUnit
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch
import ru.vostok.lk.android.api.Lk
import ru.vostok.lk.android.api.LkFailure
import ru.vostok.lk.android.api.MeterItem
import ru.vostok.lk.android.api.Meters
import ru.vostok.lk.android.api.Verification
import ru.vostok.lk.android.api.ZoneValue
import ru.vostok.lk.android.presentation.Destination
import ru.vostok.lk.android.presentation.Navigator
import ru.vostok.lk.android.presentation.Presenter
import ru.vostok.lk.android.presentation.Wording

data class MeterRow(
    val id: String,
    /** "Горячая вода, № 12345678". */
    val title: String,
    /** "Поверка до 21.12.2026". */
    val verification: String,
    /** Ending soon or expired: what it means for readings. */
    val warning: String?,
    val expired: Boolean,
    /** "На начало периода: 1 234,5". */
    val start: String?,
    /** "Передано: 1 240 (21.11.2026)". */
    val current: String?,
    val description: String
)

data class MetersState(
    val title: String,
    val loading: Boolean = true,
    /** "Показания за ноябрь 2026 принимаются с 15 по 25 число". */
    val window: String? = null,
    val rows: List<MeterRow> = emptyList(),
    val notice: String? = null,
    val error: String? = null
)

sealed interface MetersEvent {
    data object Refresh : MetersEvent

    data class Open(val meterId: String) : MetersEvent

    data object Outbox : MetersEvent
}

/** R10: the account's meters, the next verification with its warnings, the reading at the start of the period. */
class MetersPresenter(
    private val account: String,
    private val lk: Lk,
    private val wording: Wording,
    private val navigator: Navigator,
    private val scope: CoroutineScope
) : Presenter<MetersState, MetersEvent> {
    private val mutable = MutableStateFlow(MetersState(title = "Счётчики, л/с $account"))
    override val state: StateFlow<MetersState> = mutable

    init {
        load()
    }

    override fun onEvent(event: MetersEvent) {
        when (event) {
            MetersEvent.Refresh -> load()
            is MetersEvent.Open -> navigator.go(Destination.Reading(account, event.meterId))
            MetersEvent.Outbox -> navigator.go(Destination.Outbox)
        }
    }

    private fun load() {
        mutable.update { it.copy(loading = true, error = null) }
        scope.launch {
            try {
                val asked = wording.now()
                val cached = lk.readings.meters(account)
                val meters = cached.value
                mutable.update {
                    it.copy(
                        loading = false,
                        window = window(wording, meters),
                        rows = meters.meters.map { m -> row(meters, m) },
                        notice = wording.freshness(cached, asked)
                    )
                }
            } catch (e: LkFailure) {
                mutable.update { it.copy(loading = false, error = wording.failure(e)) }
            }
        }
    }

    private fun row(meters: Meters, meter: MeterItem): MeterRow {
        val f = wording.format
        val title = meterTitle(wording, meter)
        val verification = "Поверка до ${f.date(meter.nextVerification)}"
        val warning = when (meter.verification) {
            Verification.EXPIRED -> "Срок поверки истёк: показания не принимаются. Обратитесь в организацию, выполняющую поверку"

            Verification.ENDS_SOON -> {
                val days = ChronoUnit.DAYS.between(meters.today, meter.nextVerification)
                if (days == 0L) {
                    "Срок поверки истекает сегодня"
                } else {
                    "Срок поверки истекает через ${f.count(days, "день", "дня", "дней")}"
                }
            }

            Verification.VALID -> null
        }
        val start = meter.start.takeIf { it.isNotEmpty() }?.let { "На начало периода: ${values(wording, it)}" }
        val current = meter.current?.let { values ->
            val day = meter.currentTakenAt?.let { " (${wording.day(it)})" } ?: ""
            "Передано: ${values(wording, values)}$day"
        }
        return MeterRow(
            id = meter.id,
            title = title,
            verification = verification,
            warning = warning,
            expired = meter.verification == Verification.EXPIRED,
            start = start,
            current = current,
            description = listOfNotNull(title, verification, warning, start, current).joinToString(". ")
        )
    }
}

/** "Горячая вода, № 12345678". */
internal fun meterTitle(wording: Wording, meter: MeterItem) = "${wording.format.meterKind(meter.kind)}, № ${meter.serial}"

/** A reading's values, each zone named when there are several: "День (Т1): 1 234; Ночь (Т2): 567". */
internal fun values(wording: Wording, values: List<ZoneValue>): String = if (values.size == 1) {
    wording.format.number(values.single().value)
} else {
    values.joinToString("; ") { "${wording.format.zone(it.zone)}: ${wording.format.number(it.value)}" }
}

/** The window for readings in words. */
internal fun window(wording: Wording, meters: Meters): String {
    val days = "с ${meters.windowFirstDay} по ${meters.windowLastDay} число месяца"
    val period = meters.period?.let { " за ${wording.format.period(it)}" } ?: ""
    return if (meters.windowOpen) {
        "Показания$period принимаются $days"
    } else {
        "Приём показаний$period закрыт: показания принимаются $days"
    }
}
