package ru.vostok.lk.android.features.recovery

import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch
import ru.vostok.lk.android.api.Captcha
import ru.vostok.lk.android.api.CaptchaAnswer
import ru.vostok.lk.android.api.Channel
import ru.vostok.lk.android.api.FailureCode
import ru.vostok.lk.android.api.Lk
import ru.vostok.lk.android.api.LkFailure
import ru.vostok.lk.android.presentation.Destination
import ru.vostok.lk.android.presentation.Navigator
import ru.vostok.lk.android.presentation.Presenter
import ru.vostok.lk.android.presentation.Wording

enum class RecoveryStep { CONTACT, CODE, LOGIN, PASSWORD, DONE }

data class RecoveryState(
    val step: RecoveryStep = RecoveryStep.CONTACT,
    val busy: Boolean = false,
    val channel: Channel = Channel.PHONE,
    val contactLabel: String = "Телефон, указанный в профиле",
    val contact: String = "",
    val captchaPng: ByteArray? = null,
    val captchaAnswer: String = "",
    val code: String = "",
    val codeHint: String? = null,
    /** R5: the logins of the contact; the person picks one when there are several. */
    val logins: List<String> = emptyList(),
    val login: String? = null,
    /** "Ваш логин: demo". */
    val loginText: String? = null,
    val password: String = "",
    val repeat: String = "",
    val done: String? = null,
    val fieldErrors: Map<String, String> = emptyMap(),
    val error: String? = null
)

sealed interface RecoveryEvent {
    data class ChannelChosen(val channel: Channel) : RecoveryEvent

    data class Contact(val text: String) : RecoveryEvent

    data class CaptchaTyped(val text: String) : RecoveryEvent

    data object NewCaptcha : RecoveryEvent

    data class Code(val text: String) : RecoveryEvent

    data class LoginChosen(val login: String) : RecoveryEvent

    data class Password(val text: String) : RecoveryEvent

    data class Repeat(val text: String) : RecoveryEvent

    data object Continue : RecoveryEvent

    data object Back : RecoveryEvent
}

/** R5: recovery by phone or e-mail: the code, the login shown (or chosen among several), the new password twice. */
class RecoveryPresenter(
    private val lk: Lk,
    private val wording: Wording,
    private val navigator: Navigator,
    private val scope: CoroutineScope
) : Presenter<RecoveryState, RecoveryEvent> {
    private val mutable = MutableStateFlow(RecoveryState())
    override val state: StateFlow<RecoveryState> = mutable
    private var captcha: Captcha? = null
    private var recoveryId: String? = null

    init {
        newCaptcha()
    }

    override fun onEvent(event: RecoveryEvent) {
        when (event) {
            is RecoveryEvent.ChannelChosen -> mutable.update {
                val label = if (event.channel == Channel.PHONE) "Телефон, указанный в профиле" else "E-mail, указанный в профиле"
                it.copy(channel = event.channel, contactLabel = label, fieldErrors = emptyMap())
            }

            is RecoveryEvent.Contact -> mutable.update { it.copy(contact = event.text, fieldErrors = emptyMap(), error = null) }

            is RecoveryEvent.CaptchaTyped -> mutable.update { it.copy(captchaAnswer = event.text, fieldErrors = emptyMap(), error = null) }

            RecoveryEvent.NewCaptcha -> newCaptcha()

            is RecoveryEvent.Code -> mutable.update { it.copy(code = event.text, fieldErrors = emptyMap(), error = null) }

            is RecoveryEvent.LoginChosen -> mutable.update { it.copy(login = event.login, loginText = "Ваш логин: ${event.login}") }

            is RecoveryEvent.Password -> mutable.update { it.copy(password = event.text, fieldErrors = emptyMap(), error = null) }

            is RecoveryEvent.Repeat -> mutable.update { it.copy(repeat = event.text, fieldErrors = emptyMap(), error = null) }

            RecoveryEvent.Continue -> next()

            RecoveryEvent.Back -> navigator.back()
        }
    }

    private fun newCaptcha() {
        scope.launch {
            try {
                val fresh = lk.identity.captcha()
                captcha = fresh
                mutable.update { it.copy(captchaPng = fresh.png, captchaAnswer = "") }
            } catch (e: LkFailure) {
                mutable.update { it.copy(error = wording.failure(e)) }
            }
        }
    }

    private fun next() {
        val s = mutable.value
        if (s.busy) return
        when (s.step) {
            RecoveryStep.CONTACT -> step {
                val challenge = captcha ?: return@step
                lk.identity.startRecovery(s.channel, s.contact.trim(), CaptchaAnswer(challenge.id, s.captchaAnswer.trim())).also {
                    recoveryId =
                        it.id
                }
                val hint = if (s.channel ==
                    Channel.PHONE
                ) {
                    "Мы отправили код в SMS, если этот телефон указан в профиле"
                } else {
                    "Мы отправили код на e-mail, если он указан в профиле"
                }
                mutable.update { it.copy(step = RecoveryStep.CODE, codeHint = hint) }
            }

            RecoveryStep.CODE -> step {
                val logins = lk.identity.recoveryCode(recoveryId ?: return@step, s.code.trim())
                mutable.update {
                    if (logins.size == 1) {
                        it.copy(
                            step = RecoveryStep.PASSWORD,
                            logins = logins,
                            login = logins.single(),
                            loginText = "Ваш логин: ${logins.single()}"
                        )
                    } else {
                        it.copy(
                            step = RecoveryStep.LOGIN,
                            logins = logins,
                            login = null,
                            loginText = "К этому контакту привязано несколько логинов. Выберите свой"
                        )
                    }
                }
            }

            RecoveryStep.LOGIN -> if (s.login != null) mutable.update { it.copy(step = RecoveryStep.PASSWORD) }

            RecoveryStep.PASSWORD -> step {
                val login = s.login ?: return@step
                lk.identity.recoveryPassword(recoveryId ?: return@step, login, s.password, s.repeat)
                mutable.update { it.copy(step = RecoveryStep.DONE, done = "Пароль изменён. Войдите с новым паролем") }
            }

            RecoveryStep.DONE -> navigator.restart(Destination.SignIn)
        }
    }

    /** Runs a step's call with the form busy; a refusal goes under its field, in the core's words. */
    private fun step(call: suspend () -> Unit) {
        mutable.update { it.copy(busy = true, error = null, fieldErrors = emptyMap()) }
        scope.launch {
            try {
                call()
                mutable.update { it.copy(busy = false) }
            } catch (e: LkFailure) {
                if (e.code == FailureCode.CAPTCHA_WRONG || e.code == FailureCode.CAPTCHA_EXPIRED) newCaptcha()
                mutable.update {
                    val field = e.field
                    if (field !=
                        null
                    ) {
                        it.copy(busy = false, fieldErrors = mapOf(field to e.text))
                    } else {
                        it.copy(busy = false, error = wording.failure(e))
                    }
                }
            }
        }
    }
}
