package ru.vostok.lk.android.features.signin

import java.lang.reflect.Modifier
import java.time.Clock
import java.time.ZoneOffset
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import ru.vostok.lk.android.api.FailureCode
import ru.vostok.lk.android.features.accounts.AccountDetailsPresenter
import ru.vostok.lk.android.impl.BindingsFormat
import ru.vostok.lk.android.impl.CoreFailures
import ru.vostok.lk.android.presentation.Wording
import ru.vostok.lk.android.test.FakeLk
import ru.vostok.lk.android.test.RecordingNavigator
import ru.vostok.lk.android.test.Samples
import ru.vostok.lk.android.test.await
import ru.vostok.lk.android.test.presenterTest

/** Every error code of the core (its `errorTexts()`, through the real library) as the person reads it. */
class FailureWordingTest {
    private val wording = Wording(BindingsFormat, Clock.fixed(Samples.NOW, ZoneOffset.UTC))
    private val failures = CoreFailures.all

    @Test
    fun `the core lists its codes, unknown last, each with a Russian text`() {
        assertTrue(failures.size > 50, "the core's codes: ${failures.size}")
        assertEquals("unknown", failures.last().code)
        assertEquals(failures.size, failures.map { it.code }.toSet().size, "each code once")
        for (failure in failures) {
            assertTrue(failure.text.any { it in 'а'..'я' || it in 'А'..'Я' }, "${failure.code}: «${failure.text}»")
            assertEquals(failure.text, wording.failure(failure), failure.code)
        }
    }

    @Test
    fun `every code the app acts on is one the core gives`() {
        val codes = failures.map { it.code }.toSet()
        val acted = FailureCode::class.java.declaredFields.filter { Modifier.isStatic(it.modifiers) && it.type == String::class.java }
            .map { it.get(null) as String }
        assertTrue(acted.size >= 10, "FailureCode's constants: $acted")
        assertEquals(emptyList<String>(), acted.filterNot { it in codes }, "codes the core does not have")
    }

    @Test
    fun `every code refused at sign-in is shown as its Russian text`() = presenterTest { scope ->
        for (failure in failures) {
            val lk = FakeLk(BindingsFormat)
            lk.session.signInWith = { _, _ -> throw failure }
            val presenter = SignInPresenter(lk, wording, RecordingNavigator(), scope)
            presenter.onEvent(SignInEvent.LoginChanged("demo"))
            presenter.onEvent(SignInEvent.PasswordChanged("Demo-2026"))
            presenter.onEvent(SignInEvent.Submit)
            val state = presenter.state.await { !it.busy }
            assertEquals(failure.text, state.error, failure.code)
            assertNull(state.loginError, failure.code)
        }
    }

    @Test
    fun `every code met loading a screen is shown as its Russian text`() = presenterTest { scope ->
        for (failure in failures) {
            val lk = FakeLk(BindingsFormat)
            lk.accounts.detailsOf = { throw failure }
            val state = AccountDetailsPresenter(Samples.ACCOUNT, lk, wording, scope).state.await { !it.loading }
            assertEquals(failure.text, state.error, failure.code)
        }
    }
}
