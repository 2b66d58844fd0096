package ru.vostok.lk.android.features.signin

import java.time.Clock
import java.time.ZoneOffset
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import ru.vostok.lk.android.api.LkFailure
import ru.vostok.lk.android.api.Notifications
import ru.vostok.lk.android.api.Profile
import ru.vostok.lk.android.api.Role
import ru.vostok.lk.android.impl.BindingsFormat
import ru.vostok.lk.android.presentation.Wording
import ru.vostok.lk.android.test.FakeLk
import ru.vostok.lk.android.test.RecordingNavigator
import ru.vostok.lk.android.test.Samples
import ru.vostok.lk.android.test.await
import ru.vostok.lk.android.test.cachedAt
import ru.vostok.lk.android.test.presenterTest

class SignInPresenterTest {
    private val lk = FakeLk(BindingsFormat)
    private val navigator = RecordingNavigator()
    private val wording = Wording(BindingsFormat, Clock.fixed(Samples.NOW, ZoneOffset.UTC))

    private fun profile(role: Role) = Profile("demo", role, null, null, "Курган", emptyList(), Notifications(true, true, true, false))

    private fun signIn(presenter: SignInPresenter, login: String = "demo", password: String = "Demo-2026") {
        presenter.onEvent(SignInEvent.LoginChanged(login))
        presenter.onEvent(SignInEvent.PasswordChanged(password))
        presenter.onEvent(SignInEvent.Submit)
    }

    @Test
    fun `R1 a resident signs in and starts over at the accounts`() = presenterTest { scope ->
        lk.settings.profileWith = { profile(Role.RESIDENT).cachedAt(Samples.NOW) }
        val presenter = SignInPresenter(lk, wording, navigator, scope)
        signIn(presenter, login = "  demo ")
        assertEquals(listOf("restart Accounts"), navigator.moves)
        assertTrue(lk.session.signedIn.value)
    }

    @Test
    fun `R24 a meter reader signs in to the rounds`() = presenterTest { scope ->
        lk.settings.profileWith = { profile(Role.READER).cachedAt(Samples.NOW) }
        signIn(SignInPresenter(lk, wording, navigator, scope), login = "reader1")
        assertEquals(listOf("restart Rounds"), navigator.moves)
    }

    @Test
    fun `a refusal without a field is shown above the form and the password is cleared`() = presenterTest { scope ->
        lk.session.signInWith = { _, _ -> throw LkFailure("invalid_credentials", "Неверный логин или пароль") }
        val presenter = SignInPresenter(lk, wording, navigator, scope)
        signIn(presenter)
        val state = presenter.state.await { !it.busy }
        assertEquals("Неверный логин или пароль", state.error)
        assertEquals("", state.password)
        assertNull(state.loginError)
        assertTrue(navigator.moves.isEmpty())
    }

    @Test
    fun `a refusal naming the login goes under the login field`() = presenterTest { scope ->
        lk.session.signInWith = { _, _ -> throw LkFailure("invalid_credentials_format", "Логин — от 3 до 64 символов", "login") }
        val presenter = SignInPresenter(lk, wording, navigator, scope)
        signIn(presenter, login = "x")
        val state = presenter.state.value
        assertEquals("Логин — от 3 до 64 символов", state.loginError)
        assertNull(state.error)
    }

    @Test
    fun `nothing is sent until both fields are filled, and typing clears the error`() = presenterTest { scope ->
        lk.session.signInWith = { _, _ -> throw LkFailure("invalid_credentials", "Неверный логин или пароль") }
        val presenter = SignInPresenter(lk, wording, navigator, scope)
        presenter.onEvent(SignInEvent.LoginChanged("demo"))
        assertFalse(presenter.state.value.canSubmit)
        presenter.onEvent(SignInEvent.Submit)
        assertNull(presenter.state.value.error)
        signIn(presenter)
        presenter.onEvent(SignInEvent.PasswordChanged("D"))
        assertNull(presenter.state.value.error)
    }

    @Test
    fun `registration and recovery are a tap away`() = presenterTest { scope ->
        val presenter = SignInPresenter(lk, wording, navigator, scope)
        presenter.onEvent(SignInEvent.Register)
        presenter.onEvent(SignInEvent.Recover)
        assertEquals(listOf("go Registration", "go Recovery"), navigator.moves)
    }
}
