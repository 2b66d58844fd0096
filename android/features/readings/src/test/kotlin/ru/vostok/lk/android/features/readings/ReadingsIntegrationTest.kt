package ru.vostok.lk.android.features.readings

import java.time.Clock
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import ru.vostok.lk.android.api.LkConfig
import ru.vostok.lk.android.api.MeterKind
import ru.vostok.lk.android.impl.BindingsFormat
import ru.vostok.lk.android.impl.BindingsLk
import ru.vostok.lk.android.presentation.Wording
import ru.vostok.lk.android.test.DEMO_ACCOUNT
import ru.vostok.lk.android.test.DemoService
import ru.vostok.lk.android.test.MemorySecretStore
import ru.vostok.lk.android.test.RecordingNavigator
import ru.vostok.lk.android.test.await
import ru.vostok.lk.android.test.presenterTest
import ru.vostok.lk.android.test.scratch

/** The meters and reading presenters over the real core and the real service (R10–R12). */
class ReadingsIntegrationTest {
    private val lk = BindingsLk.open(LkConfig(DemoService.shared.url, scratch("readings").path, 10), MemorySecretStore()) { _, _ -> }
    private val navigator = RecordingNavigator()
    private val wording = Wording(BindingsFormat, Clock.systemUTC())

    private suspend fun meterOf(kind: MeterKind): String {
        lk.session.signIn("demo", "Demo-2026")
        return lk.readings.meters(DEMO_ACCOUNT).value.meters.first { it.kind == kind }.id
    }

    @Test
    fun `R10 the demo meters with their verification warnings as the core judges them`() = presenterTest { scope ->
        lk.session.signIn("demo", "Demo-2026")
        val state = MetersPresenter(DEMO_ACCOUNT, lk, wording, navigator, scope).state.await { !it.loading }
        assertNull(state.error)
        val gas = state.rows.single { it.title.startsWith("Газ") }
        assertTrue(gas.expired)
        assertEquals("Срок поверки истёк: показания не принимаются. Обратитесь в организацию, выполняющую поверку", gas.warning)
        val cold = state.rows.single { it.title.startsWith("Холодная вода") }
        assertTrue(cold.warning!!.startsWith("Срок поверки истекает через "), cold.warning)
        assertTrue(state.window!!.startsWith("Показания за ноябрь 2026 принимаются с "), state.window)
    }

    @Test
    fun `R11 R12 a hot-water dial past 99 999 asks to confirm the rollover with its consumption, confirmed, it is accepted`() =
        presenterTest { scope ->
            val presenter = ReadingPresenter(DEMO_ACCOUNT, meterOf(MeterKind.HOT_WATER), lk, wording, navigator, scope)
            presenter.state.await { !it.loading }
            presenter.onEvent(ReadingEvent.Typed(presenter.state.value.fields.single().zone, "3,5"))
            presenter.onEvent(ReadingEvent.Send)
            val confirmation = presenter.state.await { it.confirmation != null }.confirmation!!
            assertTrue(confirmation.lines.single().startsWith("Показание: 3,5, расход "), confirmation.lines.toString())
            assertTrue(confirmation.lines.single().endsWith("м³"), confirmation.lines.toString())
            assertTrue(confirmation.questions.isNotEmpty(), "the core asks to confirm the rollover")
            assertEquals("Подтверждаю, отправить", confirmation.confirmLabel)
            presenter.onEvent(ReadingEvent.Confirm)
            assertEquals("Спасибо, Ваши показания приняты", presenter.state.await(30_000) { it.done != null || it.error != null }.done)
        }

    @Test
    fun `R12 the gas meter past its verification is refused with the core's reason`() = presenterTest { scope ->
        val presenter = ReadingPresenter(DEMO_ACCOUNT, meterOf(MeterKind.GAS), lk, wording, navigator, scope)
        val loaded = presenter.state.await { !it.loading }
        assertNotNull(loaded.warning)
        presenter.onEvent(ReadingEvent.Typed(loaded.fields.single().zone, "99999"))
        presenter.onEvent(ReadingEvent.Send)
        val refused = presenter.state.await { !it.busy }
        assertNull(refused.confirmation)
        val reasons = refused.fields.mapNotNull { it.error } + refused.refusals
        assertTrue(reasons.any { "поверк" in it }, "the reason names the verification: $reasons")
    }
}
