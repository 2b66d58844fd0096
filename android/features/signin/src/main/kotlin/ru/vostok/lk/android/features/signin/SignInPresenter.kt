package ru.vostok.lk.android.features.signin

import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch
import ru.vostok.lk.android.api.Lk
import ru.vostok.lk.android.api.LkFailure
import ru.vostok.lk.android.presentation.Destination
import ru.vostok.lk.android.presentation.Navigator
import ru.vostok.lk.android.presentation.Presenter
import ru.vostok.lk.android.presentation.Wording

data class SignInState(
    val login: String = "",
    val password: String = "",
    val busy: Boolean = false,
    val loginError: String? = null,
    val passwordError: String? = null,
    /** A failure that names no field. */
    val error: String? = null
) {
    val canSubmit: Boolean get() = !busy && login.isNotBlank() && password.isNotEmpty()
}

sealed interface SignInEvent {
    data class LoginChanged(val value: String) : SignInEvent

    data class PasswordChanged(val value: String) : SignInEvent

    data object Submit : SignInEvent

    data object Register : SignInEvent

    data object Recover : SignInEvent
}

/** R1: sign-in with login and password; residents go to their accounts, readers to their rounds (R24). */
class SignInPresenter(
    private val lk: Lk,
    private val wording: Wording,
    private val navigator: Navigator,
    private val scope: CoroutineScope
) : Presenter<SignInState, SignInEvent> {
    private val mutable = MutableStateFlow(SignInState())
    override val state: StateFlow<SignInState> = mutable

    override fun onEvent(event: SignInEvent) {
        when (event) {
            is SignInEvent.LoginChanged -> mutable.update { it.copy(login = event.value, loginError = null, error = null) }
            is SignInEvent.PasswordChanged -> mutable.update { it.copy(password = event.value, passwordError = null, error = null) }
            SignInEvent.Submit -> submit()
            SignInEvent.Register -> navigator.go(Destination.Registration)
            SignInEvent.Recover -> navigator.go(Destination.Recovery)
        }
    }

    private fun submit() {
        val typed = mutable.value
        if (!typed.canSubmit) return
        mutable.update { it.copy(busy = true, loginError = null, passwordError = null, error = null) }
        scope.launch {
            try {
                lk.session.signIn(typed.login.trim(), typed.password)
                navigator.restart(home(lk))
            } catch (e: LkFailure) {
                mutable.update {
                    it.copy(
                        busy = false,
                        password = "",
                        loginError = wording.fieldError(e, "login"),
                        passwordError = wording.fieldError(e, "password"),
                        error = if (e.field in FIELDS) null else wording.failure(e)
                    )
                }
            }
        }
    }

    private companion object {
        val FIELDS = setOf("login", "password")
    }
}
