package ru.vostok.lk.android.features.rounds

import java.time.Clock
import java.time.LocalDate
import java.time.ZoneOffset
import kotlinx.coroutines.CompletableDeferred
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import ru.vostok.lk.android.api.Cached
import ru.vostok.lk.android.api.CaptureState
import ru.vostok.lk.android.api.JournalEntry
import ru.vostok.lk.android.api.MeterKind
import ru.vostok.lk.android.api.OutboxItem
import ru.vostok.lk.android.api.OutboxKind
import ru.vostok.lk.android.api.OutboxState
import ru.vostok.lk.android.api.RoundProgress
import ru.vostok.lk.android.api.Route
import ru.vostok.lk.android.api.RouteMeter
import ru.vostok.lk.android.api.RouteStop
import ru.vostok.lk.android.api.SyncSummary
import ru.vostok.lk.android.api.TariffZone
import ru.vostok.lk.android.impl.BindingsFormat
import ru.vostok.lk.android.presentation.Wording
import ru.vostok.lk.android.test.FakeLk
import ru.vostok.lk.android.test.RecordingNavigator
import ru.vostok.lk.android.test.Samples
import ru.vostok.lk.android.test.await
import ru.vostok.lk.android.test.cachedAt
import ru.vostok.lk.android.test.offline
import ru.vostok.lk.android.test.presenterTest

class RoutePresenterTest {
    private val lk = FakeLk(BindingsFormat)
    private val navigator = RecordingNavigator()
    private val wording = Wording(BindingsFormat, Clock.fixed(Samples.NOW, ZoneOffset.UTC))

    private fun meter(id: String) = RouteMeter(id, MeterKind.COLD_WATER, "serial-$id", listOf(TariffZone.SINGLE), null, null, emptyList())

    private fun stop(id: String, flat: String, meters: Int, cancelled: Boolean = false) = RouteStop(
        id = id,
        building = "ул. Ленина, 1",
        entrance = 2,
        flat = flat,
        address = "г. Курган, ул. Ленина, д. 1, кв. $flat",
        accessNote = "",
        owner = "Иванов И. И.",
        cancelled = cancelled,
        meters = (1..meters).map { meter("$id-m$it") }
    )

    private val route = Route(
        "r1",
        "Ленина, 1–3",
        3,
        LocalDate.of(2026, 11, 21),
        listOf(stop("s1", "45", 2), stop("s2", "46", 1), stop("s3", "47", 1, cancelled = true))
    )

    private fun entry(item: Long, stop: String, meter: String, state: CaptureState) =
        JournalEntry(item, stop, meter, state, emptyList(), Samples.NOW)

    private fun capture(id: Long, state: OutboxState) =
        OutboxItem(id, OutboxKind.ROUND_CAPTURE, "Снятие", Samples.NOW, state, 0, null, false)

    @Test
    fun `R24 the kept route shows at once, stop by stop with what is captured, the progress by the core`() = presenterTest { scope ->
        lk.rounds.routes["r1"] = route
        val download = CompletableDeferred<Cached<Route>>()
        lk.rounds.downloadWith = { download.await() }
        lk.rounds.journalOf = { listOf(entry(1, "s1", "s1-m1", CaptureState.ACCEPTED), entry(2, "s2", "s2-m1", CaptureState.SENT)) }
        lk.rounds.progressOf = { RoundProgress(done = 2, skipped = 0, left = 1) }
        val presenter = RoutePresenter("r1", lk, wording, navigator, scope)
        val kept = presenter.state.value
        assertEquals("Ленина, 1–3", kept.title)
        assertEquals(listOf("подъезд 2, кв. 45", "подъезд 2, кв. 46", "подъезд 2, кв. 47"), kept.stops.map { it.title })
        assertEquals(listOf("Снято 1 из 2", "Все счётчики сняты", "Отменён офисом"), kept.stops.map { it.status })
        assertEquals(listOf(false, true, false), kept.stops.map { it.done })
        assertEquals("г. Курган, ул. Ленина, д. 1, кв. 45, подъезд 2, кв. 45. Снято 1 из 2", kept.stops[0].description)
        assertEquals("Снято 2, пропущено 0, осталось 1", kept.progress)
        assertEquals("Всё отправлено", kept.sync)

        download.complete(route.cachedAt(Samples.NOW))
        val fresh = presenter.state.await { !it.loading }
        assertNull(fresh.notice)
        assertNull(fresh.error)
    }

    @Test
    fun `R24 the sync line counts the captures waiting for a signal and says what the office holds or refused`() = presenterTest { scope ->
        lk.rounds.routes["r1"] = route
        lk.rounds.downloadWith = { route.cachedAt(Samples.NOW) }
        lk.readings.outbox.value = listOf(capture(1, OutboxState.QUEUED), capture(2, OutboxState.QUEUED), capture(3, OutboxState.SENT))
        lk.rounds.journalOf = {
            listOf(entry(1, "s1", "s1-m1", CaptureState.NEEDS_REVIEW), entry(2, "s1", "s1-m2", CaptureState.REJECTED))
        }
        val presenter = RoutePresenter("r1", lk, wording, navigator, scope)
        val state = presenter.state.await { !it.loading }
        assertEquals("2 снятия ждут связи, на проверке в офисе: 1, отклонено: 1, снимите заново", state.sync)
        assertEquals("Снято 1 из 2", state.stops[0].status, "a rejected capture is to be made again")

        lk.rounds.journalOf = { listOf(entry(1, "s1", "s1-m1", CaptureState.ACCEPTED)) }
        lk.readings.outbox.value = listOf(capture(3, OutboxState.SENT))
        assertEquals(
            "Всё отправлено",
            presenter.state.await {
                it.sync == "Всё отправлено"
            }.sync,
            "the outbox's change redraws the line"
        )
    }

    @Test
    fun `offline with the route kept, work goes on and the line says the captures go later`() = presenterTest { scope ->
        lk.rounds.routes["r1"] = route
        lk.rounds.downloadWith = { throw offline() }
        val state = RoutePresenter("r1", lk, wording, navigator, scope).state.await { !it.loading }
        assertEquals("Нет связи с сервером. Маршрут сохранён на телефоне, снятые показания отправятся позже", state.notice)
        assertNull(state.error)
        assertEquals(3, state.stops.size)
    }

    @Test
    fun `offline with a route never downloaded, the core's reason is shown`() = presenterTest { scope ->
        lk.rounds.downloadWith = { throw offline() }
        val state = RoutePresenter("r1", lk, wording, navigator, scope).state.await { !it.loading }
        assertEquals("Нет связи с сервером. Проверьте интернет", state.error)
        assertTrue(state.stops.isEmpty())
    }

    @Test
    fun `a stop opens its capture, sync now sends and a failed sync says why`() = presenterTest { scope ->
        lk.rounds.routes["r1"] = route
        lk.rounds.downloadWith = { route.cachedAt(Samples.NOW) }
        var syncs = 0
        lk.sync = {
            syncs++
            SyncSummary(2, 0, 0)
        }
        val presenter = RoutePresenter("r1", lk, wording, navigator, scope)
        presenter.onEvent(RouteEvent.Open("s2"))
        assertEquals(listOf("go Stop(roundId=r1, stopId=s2)"), navigator.moves)
        presenter.onEvent(RouteEvent.SyncNow)
        assertEquals(1, syncs)
        lk.sync = { throw offline() }
        presenter.onEvent(RouteEvent.SyncNow)
        assertEquals("Нет связи с сервером. Проверьте интернет", presenter.state.await { it.error != null }.error)
    }
}
