package ru.vostok.lk.android.features.readings

import java.time.Clock
import java.time.LocalDate
import java.time.ZoneOffset
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import ru.vostok.lk.android.api.MeterKind
import ru.vostok.lk.android.api.TariffZone
import ru.vostok.lk.android.api.Verification
import ru.vostok.lk.android.api.ZoneValue
import ru.vostok.lk.android.impl.BindingsFormat
import ru.vostok.lk.android.presentation.Wording
import ru.vostok.lk.android.test.FakeLk
import ru.vostok.lk.android.test.RecordingNavigator
import ru.vostok.lk.android.test.Samples
import ru.vostok.lk.android.test.await
import ru.vostok.lk.android.test.cachedAt
import ru.vostok.lk.android.test.offline
import ru.vostok.lk.android.test.presenterTest

class MetersPresenterTest {
    private val lk = FakeLk(BindingsFormat)
    private val navigator = RecordingNavigator()
    private val wording = Wording(BindingsFormat, Clock.fixed(Samples.NOW, ZoneOffset.UTC))

    @Test
    fun `R10 each meter with its verification date and the reading at the start of the period, the window in words`() =
        presenterTest { scope ->
            lk.readings.metersOf = { Samples.meters(Samples.meter()).cachedAt(Samples.NOW) }
            val state = MetersPresenter(Samples.ACCOUNT, lk, wording, navigator, scope).state.await { !it.loading }
            assertEquals("Счётчики, л/с 450001000001", state.title)
            assertEquals("Показания за ноябрь 2026 принимаются с 15 по 25 число месяца", state.window)
            val row = state.rows.single()
            assertEquals("Горячая вода, № 12345678", row.title)
            assertEquals("Поверка до 01.01.2030", row.verification)
            assertNull(row.warning)
            assertFalse(row.expired)
            assertEquals("На начало периода: 99\u00a0990,5", row.start)
            assertNull(row.current)
            assertEquals("Горячая вода, № 12345678. Поверка до 01.01.2030. На начало периода: 99\u00a0990,5", row.description)
            assertNull(state.notice, "fresh from the service")
        }

    @Test
    fun `R10 a verification ending soon counts its days, today says today, an expired one refuses readings`() = presenterTest { scope ->
        val today = LocalDate.of(2026, 11, 21)
        lk.readings.metersOf = {
            Samples.meters(
                Samples.meter(id = "soon", verification = Verification.ENDS_SOON).copy(nextVerification = today.plusDays(10)),
                Samples.meter(id = "one", verification = Verification.ENDS_SOON).copy(nextVerification = today.plusDays(1)),
                Samples.meter(id = "today", verification = Verification.ENDS_SOON).copy(nextVerification = today),
                Samples.meter(id = "gone", verification = Verification.EXPIRED).copy(nextVerification = today.minusDays(3))
            ).cachedAt(Samples.NOW)
        }
        val rows = MetersPresenter(Samples.ACCOUNT, lk, wording, navigator, scope).state.await { !it.loading }.rows
        assertEquals(
            listOf(
                "Срок поверки истекает через 10 дней",
                "Срок поверки истекает через 1 день",
                "Срок поверки истекает сегодня",
                "Срок поверки истёк: показания не принимаются. Обратитесь в организацию, выполняющую поверку"
            ),
            rows.map { it.warning }
        )
        assertEquals(listOf(false, false, false, true), rows.map { it.expired })
    }

    @Test
    fun `a reading already in shows with its day, a two-zone meter names each zone`() = presenterTest { scope ->
        val twoZone = Samples.meter(id = "el", kind = MeterKind.ELECTRICITY_TWO_ZONE, zones = listOf(TariffZone.DAY, TariffZone.NIGHT))
            .copy(
                current = listOf(ZoneValue(TariffZone.DAY, Samples.money("1234")), ZoneValue(TariffZone.NIGHT, Samples.money("567"))),
                currentTakenAt = Samples.NOW
            )
        lk.readings.metersOf = { Samples.meters(twoZone).cachedAt(Samples.NOW) }
        val row = MetersPresenter(Samples.ACCOUNT, lk, wording, navigator, scope).state.await { !it.loading }.rows.single()
        assertEquals("Передано: День (Т1): 1\u00a0234; Ночь (Т2): 567 (21.11.2026)", row.current)
        assertTrue(row.title.startsWith("Электроэнергия, двухтарифный, № "), row.title)
    }

    @Test
    fun `outside the window the meters say when readings are taken`() = presenterTest { scope ->
        lk.readings.metersOf = { Samples.meters(Samples.meter()).copy(windowOpen = false).cachedAt(Samples.NOW) }
        val state = MetersPresenter(Samples.ACCOUNT, lk, wording, navigator, scope).state.await { !it.loading }
        assertEquals("Приём показаний за ноябрь 2026 закрыт: показания принимаются с 15 по 25 число месяца", state.window)
    }

    @Test
    fun `offline, the kept meters show with their age, and with nothing kept the core's reason`() = presenterTest { scope ->
        lk.readings.metersOf = { Samples.meters(Samples.meter()).cachedAt(Samples.NOW.minusSeconds(3 * 3600)) }
        val kept = MetersPresenter(Samples.ACCOUNT, lk, wording, navigator, scope).state.await { !it.loading }
        assertEquals("Нет связи с сервером. Показаны данные, обновлённые 3 часа назад", kept.notice)
        assertEquals(1, kept.rows.size)

        lk.readings.metersOf = { throw offline() }
        val none = MetersPresenter(Samples.ACCOUNT, lk, wording, navigator, scope).state.await { !it.loading }
        assertEquals("Нет связи с сервером. Проверьте интернет", none.error)
        assertTrue(none.rows.isEmpty())
    }

    @Test
    fun `a meter opens its reading entry, the outbox opens from the list`() = presenterTest { scope ->
        lk.readings.metersOf = { Samples.meters(Samples.meter()).cachedAt(Samples.NOW) }
        val presenter = MetersPresenter(Samples.ACCOUNT, lk, wording, navigator, scope)
        presenter.onEvent(MetersEvent.Open("m-hot"))
        presenter.onEvent(MetersEvent.Outbox)
        assertEquals(listOf("go Reading(account=450001000001, meterId=m-hot)", "go Outbox"), navigator.moves)
    }
}
