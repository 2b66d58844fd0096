package ru.vostok.lk.android.features.readings

import java.time.Clock
import java.time.ZoneOffset
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import ru.vostok.lk.android.api.LkFailure
import ru.vostok.lk.android.api.OutboxState
import ru.vostok.lk.android.api.SyncSummary
import ru.vostok.lk.android.impl.BindingsFormat
import ru.vostok.lk.android.presentation.Wording
import ru.vostok.lk.android.test.FakeLk
import ru.vostok.lk.android.test.RecordingNavigator
import ru.vostok.lk.android.test.Samples
import ru.vostok.lk.android.test.await
import ru.vostok.lk.android.test.offline
import ru.vostok.lk.android.test.presenterTest

class OutboxPresenterTest {
    private val lk = FakeLk(BindingsFormat)
    private val navigator = RecordingNavigator()
    private val wording = Wording(BindingsFormat, Clock.fixed(Samples.NOW, ZoneOffset.UTC))
    private val tooLarge = LkFailure("photo_too_large", "Фото счётчика слишком велико. Уменьшите его или снимите заново")
    private var syncs = 0

    init {
        lk.sync = {
            syncs++
            SyncSummary(1, 0, 0)
        }
    }

    @Test
    fun `R11 each action says where it stands, a refused one in the service's words with what can be done`() = presenterTest { scope ->
        lk.readings.outbox.value = listOf(
            Samples.item(1, OutboxState.QUEUED),
            Samples.item(2, OutboxState.SENT),
            Samples.item(3, OutboxState.NEEDS_ACTION, tooLarge).copy(hasPhoto = true),
            Samples.item(4, OutboxState.NEEDS_ACTION, LkFailure("reading_refused", "Показания не приняты"))
        )
        val rows = OutboxPresenter(lk, wording, navigator, scope).state.value.rows
        assertEquals(listOf("Ожидает отправки", "Отправлено", tooLarge.text, "Показания не приняты"), rows.map { it.status })
        assertEquals(listOf(false, false, true, true), rows.map { it.needsAction })
        assertEquals(
            listOf(
                emptyList(),
                listOf(OutboxAction.DISMISS),
                listOf(OutboxAction.RETRY, OutboxAction.RETRY_WITHOUT_PHOTO, OutboxAction.DISMISS),
                listOf(OutboxAction.RETRY, OutboxAction.DISMISS)
            ),
            rows.map { it.actions }
        )
        assertEquals("Показания: горячая вода, 21.11.2026. Ожидает отправки", rows[0].description)
    }

    @Test
    fun `a reading refused for want of confirmation can only be dismissed, to be sent again from its meter`() = presenterTest { scope ->
        val notConfirmed = LkFailure("reading_not_confirmed", "Подтвердите показания: проверка нашла, что уточнить")
        lk.readings.outbox.value = listOf(Samples.item(5, OutboxState.NEEDS_ACTION, notConfirmed))
        val row = OutboxPresenter(lk, wording, navigator, scope).state.value.rows.single()
        assertEquals(notConfirmed.text, row.status)
        assertEquals(listOf(OutboxAction.DISMISS), row.actions)
    }

    @Test
    fun `the summary counts what waits and what needs the person, each noun agreeing with its number`() = presenterTest { scope ->
        val presenter = OutboxPresenter(lk, wording, navigator, scope)
        assertNull(presenter.state.value.summary, "nothing kept, nothing to say")
        lk.readings.outbox.value = listOf(Samples.item(1, OutboxState.QUEUED), Samples.item(2, OutboxState.QUEUED))
        assertEquals("2 записи ждут связи", presenter.state.await { it.rows.size == 2 }.summary)
        lk.readings.outbox.value =
            (1L..5L).map { Samples.item(it, OutboxState.QUEUED) } + Samples.item(6, OutboxState.NEEDS_ACTION, tooLarge)
        assertEquals("5 записей ждут связи. 1 запись требует вашего решения", presenter.state.await { it.rows.size == 6 }.summary)
        lk.readings.outbox.value = listOf(Samples.item(6, OutboxState.SENT))
        assertNull(presenter.state.await { it.rows.size == 1 }.summary)
    }

    @Test
    fun `retrying sends at once, without the photo when asked, dismissing does not send`() = presenterTest { scope ->
        lk.readings.outbox.value = listOf(Samples.item(3, OutboxState.NEEDS_ACTION, tooLarge).copy(hasPhoto = true))
        val presenter = OutboxPresenter(lk, wording, navigator, scope)
        presenter.onEvent(OutboxEvent.Act(3, OutboxAction.RETRY_WITHOUT_PHOTO))
        presenter.state.await { !it.syncing }
        assertEquals(1, syncs)
        presenter.onEvent(OutboxEvent.Act(3, OutboxAction.RETRY))
        presenter.state.await { !it.syncing }
        assertEquals(2, syncs)
        presenter.onEvent(OutboxEvent.Act(3, OutboxAction.DISMISS))
        assertEquals(2, syncs)
        presenter.onEvent(OutboxEvent.Act(99, OutboxAction.RETRY))
        assertEquals(listOf("retry without photo 3", "retry 3", "dismiss 3"), lk.readings.actions, "an item no longer kept is left alone")
    }

    @Test
    fun `a sync that cannot reach the service says so and keeps every item`() = presenterTest { scope ->
        lk.readings.outbox.value = listOf(Samples.item(1, OutboxState.QUEUED))
        lk.sync = { throw offline() }
        val presenter = OutboxPresenter(lk, wording, navigator, scope)
        presenter.onEvent(OutboxEvent.SyncNow)
        val state = presenter.state.await { !it.syncing && it.error != null }
        assertEquals("Нет связи с сервером. Проверьте интернет", state.error)
        assertEquals(1, state.rows.size)
        assertFalse(state.syncing)
        presenter.onEvent(OutboxEvent.Close)
        assertEquals(listOf("back"), navigator.moves)
        assertTrue(lk.readings.actions.isEmpty())
    }
}
