package ru.vostok.lk.android.features.signin

import java.time.Clock
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import ru.vostok.lk.android.api.LkConfig
import ru.vostok.lk.android.impl.BindingsFormat
import ru.vostok.lk.android.impl.BindingsLk
import ru.vostok.lk.android.presentation.Wording
import ru.vostok.lk.android.test.DemoService
import ru.vostok.lk.android.test.MemorySecretStore
import ru.vostok.lk.android.test.RecordingNavigator
import ru.vostok.lk.android.test.await
import ru.vostok.lk.android.test.presenterTest
import ru.vostok.lk.android.test.scratch

/** The sign-in presenter over the real core and the real service (R1, R24). */
class SignInIntegrationTest {
    private val store = MemorySecretStore()
    private val lk = BindingsLk.open(LkConfig(DemoService.shared.url, scratch("signin").path, 10), store) { _, _ -> }
    private val navigator = RecordingNavigator()
    private val wording = Wording(BindingsFormat, Clock.systemUTC())

    private fun signIn(presenter: SignInPresenter, login: String, password: String) {
        presenter.onEvent(SignInEvent.LoginChanged(login))
        presenter.onEvent(SignInEvent.PasswordChanged(password))
        presenter.onEvent(SignInEvent.Submit)
    }

    @Test
    fun `R1 a wrong password is refused in the core's Russian, the right one signs in and keeps the refresh token`() =
        presenterTest { scope ->
            val presenter = SignInPresenter(lk, wording, navigator, scope)
            signIn(presenter, "demo", "Wrong-2026")
            assertEquals("Неверный логин или пароль", presenter.state.await { !it.busy && it.error != null }.error)
            signIn(presenter, "demo", "Demo-2026")
            assertEquals(listOf("restart Accounts"), navigator.await())
            assertTrue(lk.session.signedIn.await { it })
            assertTrue(store.size > 0, "the refresh token is in the keystore")
        }

    @Test
    fun `R24 the demo meter reader goes to the rounds`() = presenterTest { scope ->
        signIn(SignInPresenter(lk, wording, navigator, scope), "reader1", "Reader1-2026")
        assertEquals(listOf("restart Rounds"), navigator.await())
    }
}
