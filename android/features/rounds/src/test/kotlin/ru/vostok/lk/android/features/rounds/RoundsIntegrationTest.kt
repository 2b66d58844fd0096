package ru.vostok.lk.android.features.rounds

import java.time.Clock
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import ru.vostok.lk.android.api.CaptureState
import ru.vostok.lk.android.api.LkConfig
import ru.vostok.lk.android.api.SkipReason
import ru.vostok.lk.android.impl.BindingsFormat
import ru.vostok.lk.android.impl.BindingsLk
import ru.vostok.lk.android.presentation.Wording
import ru.vostok.lk.android.test.DemoService
import ru.vostok.lk.android.test.MemorySecretStore
import ru.vostok.lk.android.test.RecordingNavigator
import ru.vostok.lk.android.test.await
import ru.vostok.lk.android.test.presenterTest
import ru.vostok.lk.android.test.scratch

/** The readers' presenters over the real core and the demo reader's route on the real service (R24). */
class RoundsIntegrationTest {
    private val lk = BindingsLk.open(LkConfig(DemoService.shared.url, scratch("rounds").path, 10), MemorySecretStore()) { _, _ -> }
    private val navigator = RecordingNavigator()
    private val wording = Wording(BindingsFormat, Clock.systemUTC())

    @Test
    fun `R24 the demo reader downloads a route, captures a reading the core accepts and a skip it wants a photo for, and syncs`() =
        presenterTest { scope ->
            lk.session.signIn("reader1", "Reader1-2026")
            val rounds = RoundsPresenter(lk, wording, navigator, scope).state.await { !it.loading }
            assertNull(rounds.error)
            val round = rounds.rows.first()
            assertTrue(round.detail.contains("адрес"), round.detail)

            val route = RoutePresenter(round.id, lk, wording, navigator, scope)
            val walked = route.state.await { !it.loading && it.stops.isNotEmpty() }
            assertTrue(walked.progress!!.startsWith("Снято 0, пропущено 0, осталось "), walked.progress)
            val first = walked.stops.first()

            val stop = StopPresenter(round.id, first.id, lk, wording, navigator, { null }, scope)
            val meters = stop.state.value.meters
            assertTrue(meters.size >= 1, "meters at the stop")
            val reading = meters.first()
            // A value at the bottom of the expected range: the previous reading, which the core takes.
            val low = lk.rounds.route(round.id)!!.stops.first { it.id == first.id }.meters.first { it.id == reading.meterId }.expected
            for (range in low) stop.onEvent(StopEvent.Typed(reading.meterId, range.zone, range.low.toPlainString()))
            val judged = stop.state.value.meters.first { it.meterId == reading.meterId }
            assertEquals("Будет принято", judged.verdict)
            stop.onEvent(StopEvent.Save(reading.meterId))
            stop.state.await { s -> s.meters.first { it.meterId == reading.meterId }.saved != null }

            if (meters.size > 1) {
                val skipped = meters[1].meterId
                stop.onEvent(StopEvent.Skip(skipped, SkipReason.FAULTY, "стекло разбито"))
                val fault = stop.state.value.meters.first { it.meterId == skipped }
                assertTrue(fault.photoNeeded, "a fault needs a photo: ${fault.verdict}")
                assertTrue(fault.verdict!!.startsWith("Нужна фотография счётчика"), fault.verdict)
            }

            route.onEvent(RouteEvent.SyncNow)
            val synced = route.state.await(30_000) { it.progress.orEmpty().startsWith("Снято 1, ") && it.sync == "Всё отправлено" }
            assertEquals("Все счётчики сняты".takeIf { meters.size == 1 } ?: "Снято 1 из ${meters.size}", synced.stops.first().status)
            assertEquals(CaptureState.ACCEPTED, lk.rounds.journal(round.id).single().state)
        }
}
