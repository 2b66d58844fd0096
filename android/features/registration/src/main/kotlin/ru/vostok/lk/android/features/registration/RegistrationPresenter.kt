package ru.vostok.lk.android.features.registration

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
import ru.vostok.lk.android.api.RegionCities
import ru.vostok.lk.android.api.RegistrationForm
import ru.vostok.lk.android.api.RegistrationStatus
import ru.vostok.lk.android.api.RegistrationStep
import ru.vostok.lk.android.presentation.Destination
import ru.vostok.lk.android.presentation.Navigator
import ru.vostok.lk.android.presentation.Presenter
import ru.vostok.lk.android.presentation.Wording

/** The wizard's steps, in order (R2–R4). */
enum class Step { FORM, ACCOUNT, CONFIRM_ACCOUNT, CODE, DONE }

data class FormFields(
    val login: String = "",
    val password: String = "",
    val channel: Channel = Channel.PHONE,
    val contact: String = "",
    val city: String = "",
    val captchaAnswer: String = "",
    val consent: Boolean = false
)

data class RegistrationUiState(
    val step: Step = Step.FORM,
    /** "Шаг 1 из 4: данные для входа". */
    val stepTitle: String = "",
    val busy: Boolean = false,
    val form: FormFields = FormFields(),
    val cities: List<RegionCities> = emptyList(),
    val captchaPng: ByteArray? = null,
    val contactLabel: String = "Телефон",
    /** The core's consent text (R2), agreed to with the checkbox. */
    val consentText: String = "",
    val accountNumber: String = "",
    val proof: String = "",
    /** What the person checks before "Данные верны, продолжить" (R3). */
    val accountAddress: String? = null,
    val accountOwner: String? = null,
    val code: String = "",
    /** "Код отправлен на +7 912 ***-**-55", or where the link went. */
    val codeSentTo: String? = null,
    val byLink: Boolean = false,
    val fieldErrors: Map<String, String> = emptyMap(),
    val error: String? = null
) {
    val canContinue: Boolean
        get() = !busy && when (step) {
            Step.FORM -> form.login.isNotBlank() && form.password.isNotEmpty() && form.contact.isNotBlank() &&
                form.city.isNotBlank() && form.captchaAnswer.isNotBlank() && form.consent

            Step.ACCOUNT -> accountNumber.isNotBlank() && proof.isNotBlank()

            Step.CONFIRM_ACCOUNT -> true

            Step.CODE -> byLink || code.isNotBlank()

            Step.DONE -> true
        }
}

sealed interface RegistrationEvent {
    data class Form(val fields: FormFields) : RegistrationEvent

    data object NewCaptcha : RegistrationEvent

    data class AccountNumber(val text: String) : RegistrationEvent

    data class Proof(val text: String) : RegistrationEvent

    data class Code(val text: String) : RegistrationEvent

    /** The step's main button: continue, "Данные верны, продолжить", check the code or the link. */
    data object Continue : RegistrationEvent

    data object ChangeAccount : RegistrationEvent

    data object ChangeDetails : RegistrationEvent

    data object ResendCode : RegistrationEvent

    data object Back : RegistrationEvent
}

/**
 * R2–R4: the registration form with the CAPTCHA and consent, the account with the amount that
 * proves it, the address to confirm, the SMS code or the e-mail link; then signed in.
 */
class RegistrationPresenter(
    private val lk: Lk,
    private val wording: Wording,
    private val navigator: Navigator,
    private val scope: CoroutineScope
) : Presenter<RegistrationUiState, RegistrationEvent> {
    private val consent = lk.identity.consent()
    private val mutable = MutableStateFlow(RegistrationUiState(stepTitle = title(Step.FORM), consentText = consent.text))
    override val state: StateFlow<RegistrationUiState> = mutable
    private var captcha: Captcha? = null
    private var registration: RegistrationStep? = null

    init {
        scope.launch {
            try {
                val cities = lk.identity.cities()
                mutable.update { it.copy(cities = cities) }
            } catch (e: LkFailure) {
                mutable.update { it.copy(error = wording.failure(e)) }
            }
        }
        newCaptcha()
    }

    override fun onEvent(event: RegistrationEvent) {
        when (event) {
            is RegistrationEvent.Form -> mutable.update {
                val label = if (event.fields.channel == Channel.PHONE) "Телефон" else "E-mail"
                it.copy(form = event.fields, contactLabel = label, fieldErrors = emptyMap(), error = null)
            }

            RegistrationEvent.NewCaptcha -> newCaptcha()

            is RegistrationEvent.AccountNumber -> mutable.update {
                it.copy(accountNumber = event.text, fieldErrors = emptyMap(), error = null)
            }

            is RegistrationEvent.Proof -> mutable.update { it.copy(proof = event.text, fieldErrors = emptyMap(), error = null) }

            is RegistrationEvent.Code -> mutable.update { it.copy(code = event.text, fieldErrors = emptyMap(), error = null) }

            RegistrationEvent.Continue -> next()

            RegistrationEvent.ChangeAccount -> go(Step.ACCOUNT)

            RegistrationEvent.ChangeDetails -> go(Step.FORM)

            RegistrationEvent.ResendCode -> call { id -> lk.identity.resendCode(id) }

            RegistrationEvent.Back -> back()
        }
    }

    private fun back() {
        when (mutable.value.step) {
            Step.FORM, Step.DONE -> navigator.back()
            Step.ACCOUNT -> go(Step.FORM)
            Step.CONFIRM_ACCOUNT -> go(Step.ACCOUNT)
            Step.CODE -> go(Step.CONFIRM_ACCOUNT)
        }
    }

    private fun go(step: Step) {
        if (step == Step.FORM) newCaptcha()
        mutable.update { it.copy(step = step, stepTitle = title(step), fieldErrors = emptyMap(), error = null) }
    }

    private fun newCaptcha() {
        scope.launch {
            try {
                val fresh = lk.identity.captcha()
                captcha = fresh
                mutable.update { it.copy(captchaPng = fresh.png, form = it.form.copy(captchaAnswer = "")) }
            } catch (e: LkFailure) {
                mutable.update { it.copy(error = wording.failure(e)) }
            }
        }
    }

    private fun next() {
        val s = mutable.value
        if (!s.canContinue) return
        when (s.step) {
            Step.FORM -> submitForm(s.form)

            Step.ACCOUNT -> call { id -> lk.identity.bindAccount(id, s.accountNumber.trim(), s.proof.trim()) }

            Step.CONFIRM_ACCOUNT -> call { id -> lk.identity.confirmAccount(id) }

            Step.CODE -> if (s.byLink) {
                call { id ->
                    lk.identity.registration(id)
                }
            } else {
                call { id -> lk.identity.registrationCode(id, s.code.trim()) }
            }

            Step.DONE -> signIn(s.form)
        }
    }

    private fun submitForm(fields: FormFields) {
        val form = RegistrationForm(fields.login.trim(), fields.password, fields.channel, fields.contact.trim(), fields.city)
        val started = registration
        val challenge = captcha ?: return
        mutable.update { it.copy(busy = true, error = null) }
        scope.launch {
            try {
                // Back from a later step, the form changes the registration already made.
                val step = if (started == null) {
                    lk.identity.startRegistration(form, CaptchaAnswer(challenge.id, fields.captchaAnswer.trim()), consent.version)
                } else {
                    lk.identity.changeRegistration(started.id, form)
                }
                show(step)
            } catch (e: LkFailure) {
                if (e.code == FailureCode.CAPTCHA_WRONG || e.code == FailureCode.CAPTCHA_EXPIRED) newCaptcha()
                refuse(e)
            }
        }
    }

    private fun call(action: suspend (String) -> RegistrationStep) {
        val id = registration?.id ?: return
        mutable.update { it.copy(busy = true, error = null) }
        scope.launch {
            try {
                show(action(id))
            } catch (e: LkFailure) {
                refuse(e)
            }
        }
    }

    private fun show(step: RegistrationStep) {
        registration = step
        val next = when (step.status) {
            RegistrationStatus.AWAITING_ACCOUNT -> Step.ACCOUNT
            RegistrationStatus.AWAITING_ACCOUNT_CONFIRMATION -> Step.CONFIRM_ACCOUNT
            RegistrationStatus.AWAITING_CODE -> Step.CODE
            RegistrationStatus.COMPLETED -> Step.DONE
        }
        val byLink = step.channel == Channel.EMAIL
        val sentTo = if (byLink) {
            "Мы отправили ссылку на ${step.contactMasked}. Перейдите по ней, затем нажмите «Проверить»"
        } else {
            "Код отправлен на ${step.contactMasked}"
        }
        mutable.update {
            it.copy(
                busy = false,
                step = next,
                stepTitle = title(next),
                accountAddress = step.account?.address,
                accountOwner = step.account?.ownerMasked,
                codeSentTo = sentTo,
                byLink = byLink,
                fieldErrors = emptyMap(),
                error = null
            )
        }
    }

    /** The core's Russian text under the field it names, or above the form. */
    private fun refuse(e: LkFailure) {
        val field = e.field?.let(FIELDS::get)
        mutable.update {
            if (field != null) {
                it.copy(busy = false, fieldErrors = mapOf(field to e.text), error = null)
            } else {
                it.copy(busy = false, error = wording.failure(e))
            }
        }
    }

    private fun signIn(fields: FormFields) {
        mutable.update { it.copy(busy = true, error = null) }
        scope.launch {
            try {
                lk.session.signIn(fields.login.trim(), fields.password)
                navigator.restart(Destination.Accounts)
            } catch (e: LkFailure) {
                navigator.restart(Destination.SignIn)
            }
        }
    }

    private fun title(step: Step) = when (step) {
        Step.FORM -> "Шаг 1 из 4: данные для входа"
        Step.ACCOUNT -> "Шаг 2 из 4: лицевой счёт"
        Step.CONFIRM_ACCOUNT -> "Шаг 3 из 4: проверьте адрес"
        Step.CODE -> "Шаг 4 из 4: подтверждение"
        Step.DONE -> "Регистрация завершена"
    }

    companion object {
        /** The service's field names to the wizard's. */
        private val FIELDS = mapOf(
            "login" to "login",
            "password" to "password",
            "contact" to "contact",
            "city" to "city",
            "captcha" to "captcha",
            "answer" to "captcha",
            "consent" to "consent",
            "account_number" to "account",
            "latest_document_total" to "proof",
            "code" to "code"
        )
    }
}
