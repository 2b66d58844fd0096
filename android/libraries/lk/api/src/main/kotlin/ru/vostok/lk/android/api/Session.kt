package ru.vostok.lk.android.api

import kotlinx.coroutines.flow.StateFlow

/** Sign-in and sign-out (R4). */
interface LkSession {
    /** The current state at once, then every change (a refresh token that expired signs out). */
    val signedIn: StateFlow<Boolean>

    suspend fun signIn(login: String, password: String)

    /** How many of this profile's actions are not sent yet: asked before signing out. */
    fun unsent(): Int

    /** Signs out, keeping the unsent actions for the same person's next sign-in or discarding them; answers how many. */
    suspend fun signOut(keepUnsent: Boolean): Int
}

/** Registration (R1–R3) and recovery (R5): the wizards before sign-in. */
interface LkIdentity {
    /** R2: the consent to the processing of personal data the form asks for, as the core words it. */
    fun consent(): ConsentText

    suspend fun cities(): List<RegionCities>

    suspend fun captcha(): Captcha

    suspend fun startRegistration(form: RegistrationForm, captcha: CaptchaAnswer, consentVersion: String): RegistrationStep

    /** The form again (back from a later step), before the registration completes. */
    suspend fun changeRegistration(id: String, form: RegistrationForm): RegistrationStep

    /** R3: the account number and the "Итого к оплате" of its latest payment document as proof. */
    suspend fun bindAccount(id: String, accountNumber: String, latestDocumentTotal: String): RegistrationStep

    /** "Данные верны, продолжить": sends the SMS code or the e-mail link. */
    suspend fun confirmAccount(id: String): RegistrationStep

    suspend fun resendCode(id: String): RegistrationStep

    /** Where the registration stands: by e-mail, asked until the link has been followed. */
    suspend fun registration(id: String): RegistrationStep

    suspend fun registrationCode(id: String, code: String): RegistrationStep

    suspend fun startRecovery(channel: Channel, contact: String, captcha: CaptchaAnswer): RecoveryStarted

    /** The logins of the confirmed contact: the person picks one. */
    suspend fun recoveryCode(id: String, code: String): List<String>

    suspend fun recoveryPassword(id: String, login: String, password: String, repeat: String)
}

/** The consent's words and the version that is sent with the person's agreement. */
data class ConsentText(val version: String, val text: String)

data class RegionCities(val region: String, val cities: List<String>)

class Captcha(val id: String, val png: ByteArray)

data class CaptchaAnswer(val id: String, val answer: String)

data class RegistrationForm(val login: String, val password: String, val channel: Channel, val contact: String, val city: String)

enum class RegistrationStatus { AWAITING_ACCOUNT, AWAITING_ACCOUNT_CONFIRMATION, AWAITING_CODE, COMPLETED }

data class RegistrationStep(
    val id: String,
    val status: RegistrationStatus,
    val login: String,
    val channel: Channel,
    val contactMasked: String,
    val account: AccountPreview?,
    val resendAfter: java.time.Instant?
)

/** What the person sees of the account to bind before confirming it. */
data class AccountPreview(val number: String, val address: String, val ownerMasked: String)

data class RecoveryStarted(val id: String, val channel: Channel)
