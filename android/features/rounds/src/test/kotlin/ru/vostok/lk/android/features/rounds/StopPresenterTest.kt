package ru.vostok.lk.android.features.rounds

import java.math.BigDecimal
import java.time.Clock
import java.time.LocalDate
import java.time.ZoneOffset
import kotlinx.coroutines.CoroutineScope
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import ru.vostok.lk.android.api.Assessment
import ru.vostok.lk.android.api.CaptureDraft
import ru.vostok.lk.android.api.CaptureStatus
import ru.vostok.lk.android.api.ExpectedRange
import ru.vostok.lk.android.api.MeterKind
import ru.vostok.lk.android.api.OutboxKind
import ru.vostok.lk.android.api.OutboxState
import ru.vostok.lk.android.api.Position
import ru.vostok.lk.android.api.Recorded
import ru.vostok.lk.android.api.Route
import ru.vostok.lk.android.api.RouteMeter
import ru.vostok.lk.android.api.RouteStop
import ru.vostok.lk.android.api.SkipReason
import ru.vostok.lk.android.api.TariffZone
import ru.vostok.lk.android.api.ZoneValue
import ru.vostok.lk.android.impl.BindingsFormat
import ru.vostok.lk.android.presentation.Wording
import ru.vostok.lk.android.test.FakeLk
import ru.vostok.lk.android.test.RecordingNavigator
import ru.vostok.lk.android.test.Samples
import ru.vostok.lk.android.test.await
import ru.vostok.lk.android.test.presenterTest

class StopPresenterTest {
    private val lk = FakeLk(BindingsFormat)
    private val wording = Wording(BindingsFormat, Clock.fixed(Samples.NOW, ZoneOffset.UTC))
    private val here = Position(BigDecimal("55.4410"), BigDecimal("65.3411"), 12)
    private val meter = RouteMeter(
        "m1",
        MeterKind.COLD_WATER,
        "40123",
        listOf(TariffZone.SINGLE),
        listOf(ZoneValue(TariffZone.SINGLE, BigDecimal("120.5"))),
        Samples.NOW.minusSeconds(30L * 86_400),
        listOf(ExpectedRange(TariffZone.SINGLE, BigDecimal("120.5"), BigDecimal("135")))
    )
    private val drafts = mutableListOf<Pair<CaptureDraft, Int>>()

    init {
        val stop = RouteStop(
            id = "s1",
            building = "ул. Ленина, 1",
            entrance = 2,
            flat = "45",
            address = "г. Курган, ул. Ленина, д. 1, кв. 45",
            accessNote = "Код домофона 45К",
            owner = "Иванов И. И.",
            cancelled = false,
            meters = listOf(meter)
        )
        lk.rounds.routes["r1"] = Route("r1", "Курган, ул. Ленина", 1, LocalDate.of(2026, 11, 21), listOf(stop))
        // The core's judgement, as round::judge gives it: out of range needs a photo; a fault needs one too.
        lk.rounds.assessWith = { _, draft, photos ->
            drafts.add(draft to photos)
            when (val r = draft.recorded) {
                is Recorded.Reading -> if (BigDecimal(r.values.getValue(TariffZone.SINGLE).replace(',', '.')) > BigDecimal("135")) {
                    Assessment(CaptureStatus.NEEDS_REVIEW, listOf("Показание выше ожидаемого"), photoNeeded = true)
                } else {
                    Assessment(CaptureStatus.ACCEPTED, emptyList(), photoNeeded = false)
                }

                is Recorded.Skip -> Assessment(CaptureStatus.ACCEPTED, emptyList(), photoNeeded = r.reason != SkipReason.NO_ACCESS)

                is Recorded.NotOnRoute -> Assessment(CaptureStatus.NEEDS_REVIEW, listOf("Счётчика нет в маршруте"), photoNeeded = true)
            }
        }
        lk.rounds.captureWith = { _, _, _ -> Samples.item(9, OutboxState.QUEUED).copy(kind = OutboxKind.ROUND_CAPTURE) }
    }

    private fun presenter(scope: CoroutineScope) = StopPresenter("r1", "s1", lk, wording, RecordingNavigator(), { here }, scope)

    @Test
    fun `R24 a stop shows its address, access note, previous reading and expected range, skip reasons in the core's words`() =
        presenterTest { scope ->
            val state = presenter(scope).state.value
            assertEquals("Подъезд 2, кв. 45", state.title)
            assertEquals("Код домофона 45К", state.accessNote)
            val m = state.meters.single()
            assertEquals("Холодная вода, № 40123", m.title)
            assertEquals("Прошлое: 120,5 (22.10.2026)", m.previous)
            assertEquals("ожидается от 120,5 до 135", m.zones.single().expected)
            assertEquals("нет доступа", state.skipReasons.first().second)
            assertFalse(m.canSave)
        }

    @Test
    fun `R24 a reading in range is judged acceptable and saved on the phone with the position`() = presenterTest { scope ->
        val presenter = presenter(scope)
        presenter.onEvent(StopEvent.Typed("m1", TariffZone.SINGLE, "125,5"))
        val m = presenter.state.value.meters.single()
        assertEquals("Будет принято", m.verdict)
        assertTrue(m.canSave)
        presenter.onEvent(StopEvent.Save("m1"))
        assertEquals(
            "Сохранено на телефоне, отправится при связи",
            presenter.state.await {
                it.meters.single().saved != null
            }.meters.single().saved
        )
        assertEquals(here, drafts.last().first.position)
    }

    @Test
    fun `R24 out of range needs a photo before it can be saved, then goes for review`() = presenterTest { scope ->
        val presenter = presenter(scope)
        presenter.onEvent(StopEvent.Typed("m1", TariffZone.SINGLE, "180"))
        val before = presenter.state.value.meters.single()
        assertTrue(before.photoNeeded)
        assertFalse(before.canSave)
        assertEquals("Нужна фотография счётчика. Попадёт на проверку в офис: Показание выше ожидаемого", before.verdict)
        presenter.onEvent(StopEvent.Photo("m1", "/photos/m1.jpg"))
        val after = presenter.state.value.meters.single()
        assertEquals(1, drafts.last().second)
        assertTrue(after.canSave)
        assertEquals("Попадёт на проверку в офис: Показание выше ожидаемого", after.verdict)
    }

    @Test
    fun `R24 a skip for a fault needs a photo, no access does not`() = presenterTest { scope ->
        val presenter = presenter(scope)
        presenter.onEvent(StopEvent.Skip("m1", SkipReason.FAULTY, "стекло разбито"))
        assertTrue(presenter.state.value.meters.single().photoNeeded)
        presenter.onEvent(StopEvent.Skip("m1", SkipReason.NO_ACCESS, "никого нет дома"))
        val m = presenter.state.value.meters.single()
        assertFalse(m.photoNeeded)
        assertTrue(m.canSave)
        assertEquals(Recorded.Skip(SkipReason.NO_ACCESS, "никого нет дома"), drafts.last().first.recorded)
    }

    @Test
    fun `R24 a serial that differs is sent as written on the meter`() = presenterTest { scope ->
        val presenter = presenter(scope)
        presenter.onEvent(StopEvent.SerialDiffers("m1", true, " 40124 "))
        presenter.onEvent(StopEvent.Typed("m1", TariffZone.SINGLE, "125"))
        assertEquals(Recorded.Reading(mapOf(TariffZone.SINGLE to "125"), "40124"), drafts.last().first.recorded)
        assertNull(presenter.state.value.meters.single().error)
    }
}
