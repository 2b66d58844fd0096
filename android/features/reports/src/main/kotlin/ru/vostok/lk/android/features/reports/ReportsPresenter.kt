package ru.vostok.lk.android.features.reports

import java.time.LocalDate
import java.time.YearMonth
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch
import ru.vostok.lk.android.api.Cached
import ru.vostok.lk.android.api.Lk
import ru.vostok.lk.android.api.LkFailure
import ru.vostok.lk.android.api.ZoneValue
import ru.vostok.lk.android.presentation.DocumentSharing
import ru.vostok.lk.android.presentation.Presenter
import ru.vostok.lk.android.presentation.Wording

enum class Report { PAYMENTS, CHARGES, READINGS }

/** A line of a report: the headline, the amount or values, what TalkBack reads. */
data class ReportLine(val title: String, val value: String, val detail: String?, val receiptId: String?, val description: String)

data class ReportsState(
    val report: Report = Report.PAYMENTS,
    val tabs: List<Pair<Report, String>> = TABS,
    val from: LocalDate,
    val to: LocalDate,
    /** "с 21.05.2026 по 21.11.2026". */
    val range: String,
    val commonHouse: Boolean = false,
    val loading: Boolean = true,
    val lines: List<ReportLine> = emptyList(),
    val total: String? = null,
    val empty: String? = null,
    val notice: String? = null,
    val error: String? = null
) {
    companion object {
        val TABS = listOf(Report.PAYMENTS to "Платежи", Report.CHARGES to "Начисления", Report.READINGS to "Показания")
    }
}

sealed interface ReportsEvent {
    data class Show(val report: Report) : ReportsEvent

    data class Range(val from: LocalDate, val to: LocalDate) : ReportsEvent

    data class CommonHouse(val on: Boolean) : ReportsEvent

    /** R13: a payment's receipt copy. */
    data class OpenReceipt(val paymentId: String) : ReportsEvent
}

/** R13–R15: payments for a period with their receipts, charges of the last 6 months, readings individual or common-house. */
class ReportsPresenter(
    private val account: String,
    private val lk: Lk,
    private val wording: Wording,
    private val sharing: DocumentSharing,
    private val scope: CoroutineScope
) : Presenter<ReportsState, ReportsEvent> {
    private val today = wording.today()
    private val mutable =
        MutableStateFlow(ReportsState(from = today.minusMonths(6), to = today, range = range(today.minusMonths(6), today)))
    override val state: StateFlow<ReportsState> = mutable

    init {
        load()
    }

    override fun onEvent(event: ReportsEvent) {
        when (event) {
            is ReportsEvent.Show -> mutable.update { it.copy(report = event.report) }.also { load() }

            is ReportsEvent.Range -> mutable.update {
                it.copy(from = event.from, to = event.to, range = range(event.from, event.to))
            }.also { load() }

            is ReportsEvent.CommonHouse -> mutable.update { it.copy(commonHouse = event.on) }.also { load() }

            is ReportsEvent.OpenReceipt -> receipt(event.paymentId)
        }
    }

    private fun range(from: LocalDate, to: LocalDate) = "с ${wording.format.date(from)} по ${wording.format.date(to)}"

    private fun load() {
        val s = mutable.value
        mutable.update { it.copy(loading = true, error = null, lines = emptyList(), total = null, empty = null) }
        scope.launch {
            try {
                val asked = wording.now()
                val (cached, lines, total) = when (s.report) {
                    Report.PAYMENTS -> payments(s.from, s.to)
                    Report.CHARGES -> charges()
                    Report.READINGS -> readings(s.commonHouse, YearMonth.from(s.from), YearMonth.from(s.to))
                }
                mutable.update {
                    it.copy(
                        loading = false,
                        lines = lines,
                        total = total,
                        empty = if (lines.isEmpty()) "За выбранный период записей нет" else null,
                        notice = wording.freshness(cached, asked)
                    )
                }
            } catch (e: LkFailure) {
                mutable.update { it.copy(loading = false, error = wording.failure(e)) }
            }
        }
    }

    private suspend fun payments(from: LocalDate, to: LocalDate): Triple<Cached<*>, List<ReportLine>, String?> {
        val f = wording.format
        val cached = lk.reports.payments(account, from, to)
        val lines = cached.value.payments.map { p ->
            val day = wording.day(p.createdAt)
            val money = f.money(p.total)
            ReportLine("Платёж от $day", money, p.statusText, p.id.takeIf { p.hasReceipt }, "Платёж от $day, $money, ${p.statusText}")
        }
        return Triple(cached, lines, "Всего оплачено: ${f.money(cached.value.totalPaid)}")
    }

    private suspend fun charges(): Triple<Cached<*>, List<ReportLine>, String?> {
        val f = wording.format
        val cached = lk.reports.charges(account, MONTHS)
        val lines = cached.value.map { m ->
            val period = f.period(m.period)
            val charged = f.money(m.totals.charged)
            val toPay = f.money(m.totals.toPay)
            ReportLine(period, toPay, "Начислено $charged", null, "$period: начислено $charged, к оплате $toPay")
        }
        return Triple(cached, lines, null)
    }

    private suspend fun readings(commonHouse: Boolean, from: YearMonth, to: YearMonth): Triple<Cached<*>, List<ReportLine>, String?> {
        val f = wording.format
        val cached = lk.reports.readings(account, commonHouse, from, to)
        val lines = cached.value.map { r ->
            val title = "${f.meterKind(r.kind)}, № ${r.serial}, ${f.period(r.period)}"
            val values = values(r.values)
            val detail = "Расход: ${values(r.consumption)}" + if (r.recognised) ". Распознано по фото" else ""
            ReportLine(title, values, detail, null, "$title: $values. $detail")
        }
        return Triple(cached, lines, null)
    }

    private fun values(values: List<ZoneValue>): String = if (values.size == 1) {
        wording.format.number(values.single().value)
    } else {
        values.joinToString("; ") { "${wording.format.zone(it.zone)}: ${wording.format.number(it.value)}" }
    }

    private fun receipt(id: String) {
        try {
            sharing.open(lk.payments.receiptPdf(id), "receipt-$id.pdf")
        } catch (e: LkFailure) {
            mutable.update { it.copy(error = wording.failure(e)) }
        }
    }

    private companion object {
        /** R14: the charge history's length. */
        const val MONTHS = 6
    }
}
