package ru.vostok.lk.android.features.readings

import java.math.BigDecimal
import java.time.Clock
import java.time.ZoneOffset
import kotlinx.coroutines.CoroutineScope
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import ru.vostok.lk.android.api.Finding
import ru.vostok.lk.android.api.LkFailure
import ru.vostok.lk.android.api.MeterKind
import ru.vostok.lk.android.api.OutboxState
import ru.vostok.lk.android.api.Proposal
import ru.vostok.lk.android.api.RecognisedText
import ru.vostok.lk.android.api.Severity
import ru.vostok.lk.android.api.SyncSummary
import ru.vostok.lk.android.api.TariffZone
import ru.vostok.lk.android.api.Verification
import ru.vostok.lk.android.impl.BindingsFormat
import ru.vostok.lk.android.presentation.Wording
import ru.vostok.lk.android.test.FakeLk
import ru.vostok.lk.android.test.RecordingNavigator
import ru.vostok.lk.android.test.Samples
import ru.vostok.lk.android.test.await
import ru.vostok.lk.android.test.cachedAt
import ru.vostok.lk.android.test.offline
import ru.vostok.lk.android.test.presenterTest

class ReadingPresenterTest {
    private val lk = FakeLk(BindingsFormat)
    private val navigator = RecordingNavigator()
    private val wording = Wording(BindingsFormat, Clock.fixed(Samples.NOW, ZoneOffset.UTC))
    private val rollover = Finding("ROLLOVER", Severity.CONFIRM, TariffZone.SINGLE, "Счётчик перешёл через ноль: проверьте показание")

    init {
        lk.readings.metersOf = { Samples.meters(Samples.meter()).cachedAt(Samples.NOW) }
        lk.readings.submitWith = { _, _, _, _, _, _ -> Samples.item(1, OutboxState.QUEUED) }
    }

    private fun presenter(scope: CoroutineScope, meterId: String = "m-hot") =
        ReadingPresenter(Samples.ACCOUNT, meterId, lk, wording, navigator, scope)

    @Test
    fun `R10 one input per zone with the reading at the start of the period`() = presenterTest { scope ->
        val state = presenter(scope).state.value
        assertEquals("Горячая вода, № 12345678", state.title)
        assertEquals("Показания за ноябрь 2026 принимаются с 15 по 25 число месяца", state.window)
        val field = state.fields.single()
        assertEquals("Показание" to "Было: 99\u00a0990,5", field.label to field.previous)
        assertFalse(state.canSend)
    }

    @Test
    fun `a two-zone meter names its zones as the payment document does`() = presenterTest { scope ->
        lk.readings.metersOf = {
            Samples.meters(
                Samples.meter(id = "m-el", kind = MeterKind.ELECTRICITY_TWO_ZONE, zones = listOf(TariffZone.DAY, TariffZone.NIGHT))
            ).cachedAt(Samples.NOW)
        }
        assertEquals(listOf("День (Т1)", "Ночь (Т2)"), presenter(scope, "m-el").state.value.fields.map { it.label })
    }

    @Test
    fun `R12 a refused reading shows the core's reason under its zone and asks nothing`() = presenterTest { scope ->
        lk.readings.checkWith = { _, _, _ ->
            Samples.check("0", Finding("BELOW_PREVIOUS", Severity.REFUSE, TariffZone.SINGLE, "Показание меньше предыдущего (99 990,5)"))
        }
        val presenter = presenter(scope)
        presenter.onEvent(ReadingEvent.Typed(TariffZone.SINGLE, "12"))
        presenter.onEvent(ReadingEvent.Send)
        val state = presenter.state.value
        assertEquals("Показание меньше предыдущего (99 990,5)", state.fields.single().error)
        assertNull(state.confirmation)
        assertTrue(lk.readings.submitted.isEmpty())
    }

    @Test
    fun `R11 R12 the confirmation shows the consumption and what to confirm, confirmed, it is accepted with thanks`() =
        presenterTest { scope ->
            lk.readings.checkWith = { _, _, _ -> Samples.check("13", rollover) }
            lk.sync = {
                lk.readings.outbox.value = listOf(Samples.item(1, OutboxState.SENT))
                SyncSummary(1, 0, 0)
            }
            val presenter = presenter(scope)
            presenter.onEvent(ReadingEvent.Typed(TariffZone.SINGLE, "3,5"))
            presenter.onEvent(ReadingEvent.Send)
            val confirmation = presenter.state.value.confirmation!!
            assertEquals(listOf("Показание: 3,5, расход 13\u00a0м³"), confirmation.lines)
            assertEquals(listOf("Счётчик перешёл через ноль: проверьте показание"), confirmation.questions)
            assertEquals("Подтверждаю, отправить", confirmation.confirmLabel)
            presenter.onEvent(ReadingEvent.Confirm)
            val done = presenter.state.await { it.done != null }
            assertEquals("Спасибо, Ваши показания приняты", done.done)
            assertEquals(Triple(mapOf(TariffZone.SINGLE to "3,5"), listOf("ROLLOVER"), false), lk.readings.submitted.single())
        }

    @Test
    fun `cancelling the confirmation sends nothing`() = presenterTest { scope ->
        lk.readings.checkWith = { _, _, _ -> Samples.check("13", rollover) }
        val presenter = presenter(scope)
        presenter.onEvent(ReadingEvent.Typed(TariffZone.SINGLE, "3,5"))
        presenter.onEvent(ReadingEvent.Send)
        presenter.onEvent(ReadingEvent.CancelConfirmation)
        assertNull(presenter.state.value.confirmation)
        assertTrue(lk.readings.submitted.isEmpty())
    }

    @Test
    fun `offline the reading is kept on the phone and the screen says it will go`() = presenterTest { scope ->
        lk.readings.checkWith = { _, _, _ -> Samples.check("1.5") }
        lk.sync = { throw offline() }
        val presenter = presenter(scope)
        presenter.onEvent(ReadingEvent.Typed(TariffZone.SINGLE, "99992"))
        presenter.onEvent(ReadingEvent.Send)
        presenter.onEvent(ReadingEvent.Confirm)
        assertEquals(
            "Показания сохранены на телефоне и будут отправлены, как только появится связь",
            presenter.state.await {
                it.done !=
                    null
            }.done
        )
    }

    @Test
    fun `a reading the service refuses after sending shows the service's reason`() = presenterTest { scope ->
        lk.readings.checkWith = { _, _, _ -> Samples.check("1.5") }
        val refusal = LkFailure("reading_not_confirmed", "Подтвердите показания: проверка нашла, что уточнить")
        lk.sync = {
            lk.readings.outbox.value = listOf(Samples.item(1, OutboxState.NEEDS_ACTION, refusal))
            SyncSummary(0, 1, 0)
        }
        val presenter = presenter(scope)
        presenter.onEvent(ReadingEvent.Typed(TariffZone.SINGLE, "99992"))
        presenter.onEvent(ReadingEvent.Send)
        presenter.onEvent(ReadingEvent.Confirm)
        val state = presenter.state.await { !it.busy }
        assertNull(state.done)
        assertEquals("Подтвердите показания: проверка нашла, что уточнить", state.error)
    }

    @Test
    fun `R21 the dial photo's proposals are offered, the chosen one goes as the core proposed it, marked recognised`() =
        presenterTest { scope ->
            val read = mutableListOf<List<RecognisedText>>()
            lk.readings.recogniseWith = { _, _, _, texts ->
                read.add(texts)
                listOf(Proposal(BigDecimal("99991.5"), emptyList()), Proposal(BigDecimal("9999.15"), emptyList()))
            }
            lk.readings.checkWith = { _, _, _ -> Samples.check("1") }
            val presenter = presenter(scope)
            val texts = listOf(RecognisedText("99991,5", 0.9f), RecognisedText("м³", 0.97f))
            presenter.onEvent(ReadingEvent.DialRead(TariffZone.SINGLE, "/photos/dial.jpg", texts))
            assertEquals(listOf(texts), read)
            assertEquals(listOf("99\u00a0991,5", "9\u00a0999,15"), presenter.state.value.fields.single().proposals)
            assertTrue(presenter.state.value.photoAttached)
            presenter.onEvent(ReadingEvent.ChooseProposal(TariffZone.SINGLE, 0))
            assertEquals("99\u00a0991,5", presenter.state.value.fields.single().text)
            presenter.onEvent(ReadingEvent.Send)
            presenter.onEvent(ReadingEvent.Confirm)
            presenter.state.await { it.done != null }
            assertEquals(Triple(mapOf(TariffZone.SINGLE to "99991.5"), emptyList<String>(), true), lk.readings.submitted.single())
        }

    @Test
    fun `a photo with nothing readable asks for the value by hand, typing over a proposal is not recognised`() = presenterTest { scope ->
        lk.readings.recogniseWith = { _, _, _, _ -> emptyList() }
        val presenter = presenter(scope)
        presenter.onEvent(ReadingEvent.DialRead(TariffZone.SINGLE, "/photos/dial.jpg", listOf(RecognisedText("ЛЕНЭЛЕКТРО", 0.5f))))
        assertEquals("На фото не удалось распознать показание. Введите его вручную", presenter.state.value.fields.single().error)
        lk.readings.checkWith = { _, _, _ -> Samples.check("1") }
        presenter.onEvent(ReadingEvent.Typed(TariffZone.SINGLE, "99991,5"))
        presenter.onEvent(ReadingEvent.Send)
        presenter.onEvent(ReadingEvent.Confirm)
        presenter.state.await { it.done != null }
        assertFalse(lk.readings.submitted.single().third)
    }

    @Test
    fun `a meter past its verification says readings are not taken`() = presenterTest { scope ->
        lk.readings.metersOf = { Samples.meters(Samples.meter(verification = Verification.EXPIRED)).cachedAt(Samples.NOW) }
        assertEquals("Срок поверки истёк: показания не принимаются", presenter(scope).state.value.warning)
    }
}
