package ru.vostok.lk.android.test

import java.lang.reflect.Proxy
import java.math.BigDecimal
import java.time.Instant
import java.time.LocalDate
import java.time.YearMonth
import kotlinx.coroutines.flow.MutableStateFlow
import ru.vostok.lk.android.api.AccountDetails
import ru.vostok.lk.android.api.AccountSummary
import ru.vostok.lk.android.api.Assessment
import ru.vostok.lk.android.api.Cached
import ru.vostok.lk.android.api.Captcha
import ru.vostok.lk.android.api.CaptchaAnswer
import ru.vostok.lk.android.api.CaptureDraft
import ru.vostok.lk.android.api.Channel
import ru.vostok.lk.android.api.ChargesMonth
import ru.vostok.lk.android.api.ConsentText
import ru.vostok.lk.android.api.ContactChange
import ru.vostok.lk.android.api.DocumentSummary
import ru.vostok.lk.android.api.JournalEntry
import ru.vostok.lk.android.api.Lk
import ru.vostok.lk.android.api.LkAccounts
import ru.vostok.lk.android.api.LkCharges
import ru.vostok.lk.android.api.LkFailure
import ru.vostok.lk.android.api.LkIdentity
import ru.vostok.lk.android.api.LkPayments
import ru.vostok.lk.android.api.LkReadings
import ru.vostok.lk.android.api.LkReports
import ru.vostok.lk.android.api.LkRounds
import ru.vostok.lk.android.api.LkSession
import ru.vostok.lk.android.api.LkSettings
import ru.vostok.lk.android.api.Meters
import ru.vostok.lk.android.api.Notifications
import ru.vostok.lk.android.api.OutboxItem
import ru.vostok.lk.android.api.PaymentDocument
import ru.vostok.lk.android.api.PaymentState
import ru.vostok.lk.android.api.PaymentsReport
import ru.vostok.lk.android.api.Profile
import ru.vostok.lk.android.api.Proposal
import ru.vostok.lk.android.api.PushPlatform
import ru.vostok.lk.android.api.ReadingCheck
import ru.vostok.lk.android.api.ReadingsRow
import ru.vostok.lk.android.api.RecognisedText
import ru.vostok.lk.android.api.RecoveryStarted
import ru.vostok.lk.android.api.RegionCities
import ru.vostok.lk.android.api.RegistrationForm
import ru.vostok.lk.android.api.RegistrationStep
import ru.vostok.lk.android.api.RoundProgress
import ru.vostok.lk.android.api.RoundSummary
import ru.vostok.lk.android.api.Route
import ru.vostok.lk.android.api.RussianFormat
import ru.vostok.lk.android.api.Split
import ru.vostok.lk.android.api.SyncSummary
import ru.vostok.lk.android.api.TariffZone

/** A call the test did not set an answer for. */
fun unexpected(): Nothing = throw AssertionError("a call the test did not expect")

/** What the store would give when the service cannot be reached. */
fun offline() = LkFailure("offline", "Нет связи с сервером. Проверьте интернет")

/** The format for tests of code that writes no Russian of its own: any call fails the test. */
val noFormat: RussianFormat = Proxy.newProxyInstance(RussianFormat::class.java.classLoader, arrayOf(RussianFormat::class.java)) { _, _, _ ->
    unexpected()
} as RussianFormat

/**
 * The LK with every answer set by the test: each section's calls are `var`s holding what they
 * do; an unset one fails the test. [format] is the real core's in the presenters' tests.
 */
class FakeLk(override val format: RussianFormat) : Lk {
    override val session = FakeSession()
    override val identity = FakeIdentity()
    override val accounts = FakeAccounts()
    override val charges = FakeCharges()
    override val payments = FakePayments()
    override val readings = FakeReadings()
    override val reports = FakeReports()
    override val settings = FakeSettings()
    override val rounds = FakeRounds()
    var networkCalls = 0
    var sync: suspend () -> SyncSummary = { SyncSummary(0, 0, 0) }

    override fun networkAvailable() {
        networkCalls++
    }

    override suspend fun syncNow(): SyncSummary = sync()
}

class FakeSession : LkSession {
    override val signedIn = MutableStateFlow(false)
    var signInWith: suspend (String, String) -> Unit = { _, _ -> signedIn.value = true }
    var unsentCount = 0
    var signOutWith: suspend (Boolean) -> Int = { keep ->
        signedIn.value = false
        if (keep) unsentCount else 0
    }

    override suspend fun signIn(login: String, password: String) = signInWith(login, password)

    override fun unsent(): Int = unsentCount

    override suspend fun signOut(keepUnsent: Boolean): Int = signOutWith(keepUnsent)
}

class FakeIdentity : LkIdentity {
    var consentAnswer = ConsentText("test-1", "Я согласен на обработку персональных данных (текст теста)")
    var citiesAnswer: suspend () -> List<RegionCities> = { listOf(RegionCities("Курганская область", listOf("Курган", "Шадринск"))) }
    var captchas = 0
    var start: suspend (RegistrationForm, CaptchaAnswer, String) -> RegistrationStep = { _, _, _ -> unexpected() }
    var change: suspend (String, RegistrationForm) -> RegistrationStep = { _, _ -> unexpected() }
    var bind: suspend (String, String, String) -> RegistrationStep = { _, _, _ -> unexpected() }
    var confirm: suspend (String) -> RegistrationStep = { unexpected() }
    var resend: suspend (String) -> RegistrationStep = { unexpected() }
    var status: suspend (String) -> RegistrationStep = { unexpected() }
    var code: suspend (String, String) -> RegistrationStep = { _, _ -> unexpected() }
    var recoveryStart: suspend (Channel, String, CaptchaAnswer) -> RecoveryStarted = { _, _, _ -> unexpected() }
    var recoveryCode: suspend (String, String) -> List<String> = { _, _ -> unexpected() }
    var recoveryPassword: suspend (String, String, String, String) -> Unit = { _, _, _, _ -> unexpected() }

    override fun consent() = consentAnswer

    override suspend fun cities() = citiesAnswer()

    override suspend fun captcha(): Captcha {
        captchas++
        return Captcha("captcha-$captchas", byteArrayOf(0x89.toByte(), 0x50, 0x4E, 0x47))
    }

    override suspend fun startRegistration(form: RegistrationForm, captcha: CaptchaAnswer, consentVersion: String) =
        start(form, captcha, consentVersion)

    override suspend fun changeRegistration(id: String, form: RegistrationForm) = change(id, form)

    override suspend fun bindAccount(id: String, accountNumber: String, latestDocumentTotal: String) =
        bind(id, accountNumber, latestDocumentTotal)

    override suspend fun confirmAccount(id: String) = confirm(id)

    override suspend fun resendCode(id: String) = resend(id)

    override suspend fun registration(id: String) = status(id)

    override suspend fun registrationCode(id: String, code: String) = this.code(id, code)

    override suspend fun startRecovery(channel: Channel, contact: String, captcha: CaptchaAnswer) = recoveryStart(channel, contact, captcha)

    override suspend fun recoveryCode(id: String, code: String) = recoveryCode.invoke(id, code)

    override suspend fun recoveryPassword(id: String, login: String, password: String, repeat: String) =
        recoveryPassword.invoke(id, login, password, repeat)
}

class FakeAccounts : LkAccounts {
    override val accounts = MutableStateFlow<List<AccountSummary>>(emptyList())
    var refreshWith: suspend () -> List<AccountSummary> = { accounts.value }
    var detailsOf: suspend (String) -> Cached<AccountDetails> = { unexpected() }

    override suspend fun refresh(): List<AccountSummary> = refreshWith()

    override suspend fun details(number: String) = detailsOf(number)
}

class FakeCharges : LkCharges {
    var documentsOf: suspend (String) -> Cached<List<DocumentSummary>> = { unexpected() }
    var documentOf: suspend (String, YearMonth) -> Cached<PaymentDocument> = { _, _ -> unexpected() }
    var splitWith: (PaymentDocument, String, Map<String, BigDecimal>) -> Split = { _, _, _ -> unexpected() }
    var amountOf: (String) -> BigDecimal = { BigDecimal(it) }
    var pdfOf: (PaymentDocument) -> ByteArray = { "%PDF-".toByteArray() }
    var emailWith: suspend (String, YearMonth, String?) -> OutboxItem = { _, _, _ -> unexpected() }

    override suspend fun documents(account: String) = documentsOf(account)

    override suspend fun document(account: String, period: YearMonth) = documentOf(account, period)

    override fun split(document: PaymentDocument, total: String, fixed: Map<String, BigDecimal>) = splitWith(document, total, fixed)

    override fun amount(text: String) = amountOf(text)

    override fun pdf(document: PaymentDocument) = pdfOf(document)

    override suspend fun email(account: String, period: YearMonth, email: String?) = emailWith(account, period, email)
}

class FakePayments : LkPayments {
    var startWith: suspend (
        String,
        YearMonth,
        String,
        Map<String, BigDecimal>,
        String,
        String
    ) -> PaymentState = { _, _, _, _, _, _ -> unexpected() }
    var resolveWith: suspend (String) -> PaymentState = { unexpected() }
    var awaitWith: suspend (String) -> PaymentState = { unexpected() }
    var pending: suspend () -> List<PaymentState> = { emptyList() }
    var receiptOf: (String) -> ByteArray = { "%PDF-".toByteArray() }

    override suspend fun start(
        account: String,
        period: YearMonth,
        total: String,
        fixed: Map<String, BigDecimal>,
        receiptContact: String,
        returnUrl: String
    ) = startWith(account, period, total, fixed, receiptContact, returnUrl)

    override suspend fun resolve(id: String) = resolveWith(id)

    override suspend fun awaitResult(id: String) = awaitWith(id)

    override suspend fun resolvePending() = pending()

    override fun receiptPdf(id: String) = receiptOf(id)
}

class FakeReadings : LkReadings {
    var metersOf: suspend (String) -> Cached<Meters> = { unexpected() }
    var checkWith: suspend (String, String, Map<TariffZone, String>) -> ReadingCheck = { _, _, _ -> unexpected() }
    val submitted = mutableListOf<Triple<Map<TariffZone, String>, List<String>, Boolean>>()
    var submitWith: suspend (
        String,
        String,
        Map<TariffZone, String>,
        List<String>,
        String?,
        Boolean
    ) -> OutboxItem = { _, _, _, _, _, _ -> unexpected() }
    var recogniseWith: (String, String, TariffZone, List<RecognisedText>) -> List<Proposal> = { _, _, _, _ -> unexpected() }
    override val outbox = MutableStateFlow<List<OutboxItem>>(emptyList())
    val actions = mutableListOf<String>()

    override suspend fun meters(account: String) = metersOf(account)

    override suspend fun check(account: String, meterId: String, values: Map<TariffZone, String>) = checkWith(account, meterId, values)

    override suspend fun submit(
        account: String,
        meterId: String,
        values: Map<TariffZone, String>,
        confirmed: List<String>,
        photoPath: String?,
        recognised: Boolean
    ): OutboxItem {
        submitted.add(Triple(values, confirmed, recognised))
        return submitWith(account, meterId, values, confirmed, photoPath, recognised)
    }

    override fun recognise(account: String, meterId: String, zone: TariffZone, texts: List<RecognisedText>) =
        recogniseWith(account, meterId, zone, texts)

    override fun retry(itemId: Long) {
        actions.add("retry $itemId")
    }

    override fun retryWithoutPhoto(itemId: Long) {
        actions.add("retry without photo $itemId")
    }

    override fun dismiss(itemId: Long) {
        actions.add("dismiss $itemId")
    }
}

class FakeReports : LkReports {
    var paymentsOf: suspend (String, LocalDate, LocalDate) -> Cached<PaymentsReport> = { _, _, _ -> unexpected() }
    var chargesOf: suspend (String, Int) -> Cached<List<ChargesMonth>> = { _, _ -> unexpected() }
    var readingsOf: suspend (String, Boolean, YearMonth, YearMonth) -> Cached<List<ReadingsRow>> = { _, _, _, _ -> unexpected() }

    override suspend fun payments(account: String, from: LocalDate, to: LocalDate) = paymentsOf(account, from, to)

    override suspend fun charges(account: String, months: Int) = chargesOf(account, months)

    override suspend fun readings(account: String, commonHouse: Boolean, from: YearMonth, to: YearMonth) =
        readingsOf(account, commonHouse, from, to)
}

class FakeSettings : LkSettings {
    var profileWith: suspend () -> Cached<Profile> = { throw offline() }
    var passwordWith: suspend (String, String, String) -> Unit = { _, _, _ -> unexpected() }
    var notificationsWith: suspend (Notifications) -> OutboxItem = { unexpected() }
    var phoneWith: suspend (String) -> ContactChange = { unexpected() }
    var confirmPhoneWith: suspend (String, String) -> Profile = { _, _ -> unexpected() }
    var emailWith: suspend (String) -> ContactChange = { unexpected() }
    var linkWith: suspend (String, String) -> Profile = { _, _ -> unexpected() }
    var paperRefusalOf: suspend (String) -> ByteArray = { "%PDF-".toByteArray() }
    val devices = mutableListOf<Pair<PushPlatform, String>>()

    /** What registering a push token does: kept in [devices] unless the test makes it fail. */
    var registerWith: suspend (PushPlatform, String) -> Unit = { platform, token -> devices.add(platform to token) }

    override suspend fun profile() = profileWith()

    override suspend fun changePassword(old: String, new: String, repeat: String) = passwordWith(old, new, repeat)

    override suspend fun setNotifications(notifications: Notifications) = notificationsWith(notifications)

    override suspend fun changePhone(phone: String) = phoneWith(phone)

    override suspend fun confirmPhone(id: String, code: String) = confirmPhoneWith(id, code)

    override suspend fun changeEmail(email: String) = emailWith(email)

    override suspend fun linkAccount(login: String, password: String) = linkWith(login, password)

    override suspend fun paperRefusalPdf(account: String) = paperRefusalOf(account)

    override suspend fun registerDevice(platform: PushPlatform, token: String) = registerWith(platform, token)
}

class FakeRounds : LkRounds {
    var listWith: suspend () -> Cached<List<RoundSummary>> = { unexpected() }
    var downloadWith: suspend (String) -> Cached<Route> = { unexpected() }
    var routes = mutableMapOf<String, Route>()
    var assessWith: (String, CaptureDraft, Int) -> Assessment = { _, _, _ -> unexpected() }
    var captureWith: suspend (String, CaptureDraft, String?) -> OutboxItem = { _, _, _ -> unexpected() }
    var journalOf: (String) -> List<JournalEntry> = { emptyList() }
    var progressOf: (String) -> RoundProgress = { RoundProgress(0, 0, 0) }

    override suspend fun list() = listWith()

    override suspend fun download(id: String) = downloadWith(id)

    override fun route(id: String) = routes[id]

    override fun assess(roundId: String, draft: CaptureDraft, photos: Int) = assessWith(roundId, draft, photos)

    override suspend fun capture(roundId: String, draft: CaptureDraft, photoPath: String?) = captureWith(roundId, draft, photoPath)

    override fun journal(roundId: String) = journalOf(roundId)

    override fun progress(roundId: String) = progressOf(roundId)
}

/** Data kept since [at]. */
fun <T> T.cachedAt(at: Instant) = Cached(this, at)
