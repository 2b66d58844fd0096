package ru.vostok.lk.android.features.reports

import java.time.Clock
import java.time.LocalDate
import java.time.YearMonth
import java.time.ZoneOffset
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Test
import ru.vostok.lk.android.api.ChargesMonth
import ru.vostok.lk.android.api.MeterKind
import ru.vostok.lk.android.api.PaymentState
import ru.vostok.lk.android.api.PaymentStatus
import ru.vostok.lk.android.api.PaymentsReport
import ru.vostok.lk.android.api.ReadingsRow
import ru.vostok.lk.android.api.TariffZone
import ru.vostok.lk.android.api.ZoneValue
import ru.vostok.lk.android.impl.BindingsFormat
import ru.vostok.lk.android.presentation.Wording
import ru.vostok.lk.android.test.FakeLk
import ru.vostok.lk.android.test.RecordingSharing
import ru.vostok.lk.android.test.Samples
import ru.vostok.lk.android.test.await
import ru.vostok.lk.android.test.cachedAt
import ru.vostok.lk.android.test.offline
import ru.vostok.lk.android.test.presenterTest

class ReportsPresenterTest {
    private val lk = FakeLk(BindingsFormat)
    private val sharing = RecordingSharing()
    private val wording = Wording(BindingsFormat, Clock.fixed(Samples.NOW, ZoneOffset.UTC))
    private val asked = mutableListOf<String>()

    private fun payment(id: String, total: String, status: PaymentStatus, text: String, receipt: Boolean) =
        PaymentState(id, Samples.ACCOUNT, Samples.money(total), status, text, null, Samples.NOW, receipt)

    init {
        lk.reports.paymentsOf = { account, from, to ->
            asked.add("payments $account $from $to")
            PaymentsReport(
                listOf(
                    payment("p1", "250.00", PaymentStatus.SUCCEEDED, "Оплата выполнена успешно", receipt = true),
                    payment("p2", "1000.00", PaymentStatus.DECLINED, "Платёж отклонён банком", receipt = false)
                ),
                Samples.money("250.00")
            ).cachedAt(Samples.NOW)
        }
    }

    @Test
    fun `R13 the payments of the last six months, each with its status, the total paid, a receipt where there is one`() =
        presenterTest { scope ->
            val presenter = ReportsPresenter(Samples.ACCOUNT, lk, wording, sharing, scope)
            val state = presenter.state.await { !it.loading }
            assertEquals("с 21.05.2026 по 21.11.2026", state.range)
            assertEquals(listOf("payments 450001000001 2026-05-21 2026-11-21"), asked)
            assertEquals(listOf("Платёж от 21.11.2026", "Платёж от 21.11.2026"), state.lines.map { it.title })
            assertEquals(listOf("250,00\u00a0₽", "1\u00a0000,00\u00a0₽"), state.lines.map { it.value })
            assertEquals(listOf("Оплата выполнена успешно", "Платёж отклонён банком"), state.lines.map { it.detail })
            assertEquals(listOf("p1", null), state.lines.map { it.receiptId })
            assertEquals("Платёж от 21.11.2026, 250,00\u00a0₽, Оплата выполнена успешно", state.lines[0].description)
            assertEquals("Всего оплачено: 250,00\u00a0₽", state.total)

            presenter.onEvent(ReportsEvent.OpenReceipt("p1"))
            assertEquals(listOf("receipt-p1.pdf"), sharing.opened.map { it.first })
        }

    @Test
    fun `another period asks again for its payments`() = presenterTest { scope ->
        val presenter = ReportsPresenter(Samples.ACCOUNT, lk, wording, sharing, scope)
        presenter.onEvent(ReportsEvent.Range(LocalDate.of(2026, 1, 1), LocalDate.of(2026, 3, 31)))
        assertEquals("с 01.01.2026 по 31.03.2026", presenter.state.await { !it.loading }.range)
        assertEquals("payments 450001000001 2026-01-01 2026-03-31", asked.last())
    }

    @Test
    fun `R14 the charges of six months, each month's due amount and what was charged`() = presenterTest { scope ->
        lk.reports.chargesOf = { _, months ->
            asked.add("charges $months")
            listOf(ChargesMonth(Samples.PERIOD, Samples.document().lines, Samples.document().totals)).cachedAt(Samples.NOW)
        }
        val presenter = ReportsPresenter(Samples.ACCOUNT, lk, wording, sharing, scope)
        presenter.onEvent(ReportsEvent.Show(Report.CHARGES))
        val state = presenter.state.await { it.report == Report.CHARGES && !it.loading }
        assertEquals("charges 6", asked.last())
        val line = state.lines.single()
        assertEquals("октябрь 2026", line.title)
        assertEquals("1\u00a0500,00\u00a0₽", line.value)
        assertEquals("Начислено 1\u00a0500,00\u00a0₽", line.detail)
        assertEquals("октябрь 2026: начислено 1\u00a0500,00\u00a0₽, к оплате 1\u00a0500,00\u00a0₽", line.description)
        assertNull(state.total)
    }

    @Test
    fun `R15 the readings, individual or common-house, with the consumption and whether a photo was read`() = presenterTest { scope ->
        lk.reports.readingsOf = { _, commonHouse, from, to ->
            asked.add("readings $commonHouse $from $to")
            listOf(
                ReadingsRow(
                    "12345678",
                    MeterKind.HOT_WATER,
                    YearMonth.of(2026, 10),
                    listOf(ZoneValue(TariffZone.SINGLE, Samples.money("99993.5"))),
                    listOf(ZoneValue(TariffZone.SINGLE, Samples.money("3.0"))),
                    true,
                    Samples.NOW
                )
            ).cachedAt(Samples.NOW)
        }
        val presenter = ReportsPresenter(Samples.ACCOUNT, lk, wording, sharing, scope)
        presenter.onEvent(ReportsEvent.Show(Report.READINGS))
        val line = presenter.state.await { it.report == Report.READINGS && !it.loading }.lines.single()
        assertEquals("Горячая вода, № 12345678, октябрь 2026", line.title)
        assertEquals("99\u00a0993,5", line.value)
        assertEquals("Расход: 3. Распознано по фото", line.detail)
        presenter.onEvent(ReportsEvent.CommonHouse(true))
        presenter.state.await { it.commonHouse && !it.loading }
        assertEquals(listOf("readings false 2026-05 2026-11", "readings true 2026-05 2026-11"), asked.drop(1))
    }

    @Test
    fun `an empty period says so, kept data says its age, nothing kept gives the core's reason`() = presenterTest { scope ->
        lk.reports.paymentsOf = { _, _, _ -> PaymentsReport(emptyList(), Samples.money("0")).cachedAt(Samples.NOW.minusSeconds(600)) }
        val presenter = ReportsPresenter(Samples.ACCOUNT, lk, wording, sharing, scope)
        val empty = presenter.state.await { !it.loading }
        assertEquals("За выбранный период записей нет", empty.empty)
        assertEquals("Нет связи с сервером. Показаны данные, обновлённые 10 минут назад", empty.notice)

        lk.reports.chargesOf = { _, _ -> throw offline() }
        presenter.onEvent(ReportsEvent.Show(Report.CHARGES))
        val failed = presenter.state.await { it.report == Report.CHARGES && !it.loading }
        assertEquals("Нет связи с сервером. Проверьте интернет", failed.error)
        assertNull(failed.empty)
    }
}
