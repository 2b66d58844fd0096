package ru.vostok.lk.android.features.rounds

import java.time.Clock
import java.time.ZoneOffset
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Test
import ru.vostok.lk.android.api.RoundSummary
import ru.vostok.lk.android.impl.BindingsFormat
import ru.vostok.lk.android.presentation.Wording
import ru.vostok.lk.android.test.FakeLk
import ru.vostok.lk.android.test.RecordingNavigator
import ru.vostok.lk.android.test.Samples
import ru.vostok.lk.android.test.await
import ru.vostok.lk.android.test.cachedAt
import ru.vostok.lk.android.test.presenterTest

class RoundsPresenterTest {
    private val lk = FakeLk(BindingsFormat)
    private val navigator = RecordingNavigator()
    private val wording = Wording(BindingsFormat, Clock.fixed(Samples.NOW, ZoneOffset.UTC))

    @Test
    fun `R24 each route with its addresses and meters counted in agreeing words, kept routes with their age`() = presenterTest { scope ->
        lk.rounds.listWith = {
            listOf(
                RoundSummary("r1", "Ленина, 1–3", 21, 2, 1),
                RoundSummary("r2", "Мира, 5", 5, 1, 0)
            ).cachedAt(Samples.NOW.minusSeconds(300))
        }
        val state = RoundsPresenter(lk, wording, navigator, scope).state.await { !it.loading }
        assertEquals(listOf("21 адрес, 2 счётчика, снято 1", "5 адресов, 1 счётчик, снято 0"), state.rows.map { it.detail })
        assertEquals("Ленина, 1–3: 21 адрес, 2 счётчика, снято 1", state.rows[0].description)
        assertEquals("Нет связи с сервером. Показаны данные, обновлённые 5 минут назад", state.notice)
        assertNull(state.empty)
    }

    @Test
    fun `no routes says so, a route opens its stops`() = presenterTest { scope ->
        lk.rounds.listWith = { emptyList<RoundSummary>().cachedAt(Samples.NOW) }
        val presenter = RoundsPresenter(lk, wording, navigator, scope)
        assertEquals("Маршрутов обхода пока нет", presenter.state.await { !it.loading }.empty)
        presenter.onEvent(RoundsEvent.Open("r1"))
        assertEquals(listOf("go Round(roundId=r1)"), navigator.moves)
    }
}
