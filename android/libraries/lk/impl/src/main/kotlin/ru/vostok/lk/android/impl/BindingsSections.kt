package ru.vostok.lk.android.impl

import java.math.BigDecimal
import java.time.LocalDate
import java.time.YearMonth
import java.util.Base64
import java.util.concurrent.ConcurrentHashMap
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import ru.vostok.lk.Accounts
import ru.vostok.lk.AccountsListener
import ru.vostok.lk.CancelToken
import ru.vostok.lk.Charges
import ru.vostok.lk.OutboxEntry
import ru.vostok.lk.OutboxListener
import ru.vostok.lk.Payments
import ru.vostok.lk.Readings
import ru.vostok.lk.Reports
import ru.vostok.lk.Session
import ru.vostok.lk.Settings
import ru.vostok.lk.SignedInListener
import ru.vostok.lk.android.api.AccountDetails
import ru.vostok.lk.android.api.AccountSummary
import ru.vostok.lk.android.api.Cached
import ru.vostok.lk.android.api.Captcha
import ru.vostok.lk.android.api.CaptchaAnswer
import ru.vostok.lk.android.api.Channel
import ru.vostok.lk.android.api.ChargesMonth
import ru.vostok.lk.android.api.ConsentText
import ru.vostok.lk.android.api.ContactChange
import ru.vostok.lk.android.api.DocumentSummary
import ru.vostok.lk.android.api.LkAccounts
import ru.vostok.lk.android.api.LkCharges
import ru.vostok.lk.android.api.LkFailure
import ru.vostok.lk.android.api.LkIdentity
import ru.vostok.lk.android.api.LkPayments
import ru.vostok.lk.android.api.LkReadings
import ru.vostok.lk.android.api.LkReports
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
import ru.vostok.lk.android.api.Split
import ru.vostok.lk.android.api.SplitPart
import ru.vostok.lk.android.api.TariffZone
import ru.vostok.lk.core.AccountSummary as CoreAccountSummary
import ru.vostok.lk.core.BindAccountRequest
import ru.vostok.lk.core.CaptchaAnswer as CoreCaptchaAnswer
import ru.vostok.lk.core.ChangePasswordRequest
import ru.vostok.lk.core.Consent
import ru.vostok.lk.core.DocumentView
import ru.vostok.lk.core.FindingCode
import ru.vostok.lk.core.FixedAmount
import ru.vostok.lk.core.MeterScope
import ru.vostok.lk.core.NewPasswordRequest
import ru.vostok.lk.core.OcrCandidate
import ru.vostok.lk.core.Payment
import ru.vostok.lk.core.PushPlatform as CorePushPlatform
import ru.vostok.lk.core.ReadingSource
import ru.vostok.lk.core.RecoveryRequest
import ru.vostok.lk.core.RegistrationDetails
import ru.vostok.lk.core.RegistrationRequest
import ru.vostok.lk.core.UnsentActions
import ru.vostok.lk.core.consentText as coreConsentText
import ru.vostok.lk.core.moneyParse
import ru.vostok.lk.core.paymentStatusRu

class BindingsSession(private val session: Session) :
    LkSession,
    AutoCloseable {
    private val state = MutableStateFlow(session.isSignedIn())
    override val signedIn: StateFlow<Boolean> = state
    private val subscription = session.observe(
        object : SignedInListener {
            override fun onChange(signedIn: Boolean) {
                state.value = signedIn
            }
        }
    )

    override suspend fun signIn(login: String, password: String) = core { session.signIn(login, password) }

    override fun unsent(): Int = core { session.unsent().toInt() }

    override suspend fun signOut(keepUnsent: Boolean): Int = core {
        session.signOut(if (keepUnsent) UnsentActions.KEEP_FOR_NEXT_SIGN_IN else UnsentActions.DISCARD).toInt()
    }

    override fun close() = subscription.cancel()
}

class BindingsIdentity(private val session: Session) : LkIdentity {
    override fun consent(): ConsentText = coreConsentText().let { ConsentText(it.version, it.text) }

    override suspend fun cities(): List<RegionCities> = core { session.cities().map { RegionCities(it.name, it.cities) } }

    override suspend fun captcha(): Captcha = core {
        val challenge = session.captcha()
        Captcha(challenge.id, Base64.getDecoder().decode(challenge.pngBase64))
    }

    override suspend fun startRegistration(form: RegistrationForm, captcha: CaptchaAnswer, consentVersion: String): RegistrationStep =
        core {
            session.startRegistration(
                RegistrationRequest(form.core(), CoreCaptchaAnswer(captcha.id, captcha.answer), Consent(true, consentVersion))
            ).api()
        }

    override suspend fun changeRegistration(id: String, form: RegistrationForm) = core { session.changeRegistration(id, form.core()).api() }

    override suspend fun bindAccount(id: String, accountNumber: String, latestDocumentTotal: String) =
        core { session.bindAccount(id, BindAccountRequest(accountNumber, latestDocumentTotal)).api() }

    override suspend fun confirmAccount(id: String) = core { session.confirmAccount(id).api() }

    override suspend fun resendCode(id: String) = core { session.resendCode(id).api() }

    override suspend fun registration(id: String) = core { session.registration(id).api() }

    override suspend fun registrationCode(id: String, code: String) = core { session.registrationCode(id, code).api() }

    override suspend fun startRecovery(channel: Channel, contact: String, captcha: CaptchaAnswer) = core {
        val started = session.startRecovery(RecoveryRequest(channel.core(), contact, CoreCaptchaAnswer(captcha.id, captcha.answer)))
        RecoveryStarted(started.id, started.channel.api())
    }

    override suspend fun recoveryCode(id: String, code: String): List<String> = core { session.recoveryCode(id, code).logins }

    override suspend fun recoveryPassword(id: String, login: String, password: String, repeat: String) =
        core { session.recoveryPassword(id, NewPasswordRequest(login, password, repeat)) }

    private fun RegistrationForm.core() = RegistrationDetails(login, password, channel.core(), contact, city)
}

class BindingsAccounts(private val source: Accounts) :
    LkAccounts,
    AutoCloseable {
    private val state = MutableStateFlow(source.cached().map { it.api() })
    override val accounts: StateFlow<List<AccountSummary>> = state
    private val subscription = source.observe(
        object : AccountsListener {
            override fun onChange(accounts: List<CoreAccountSummary>) {
                state.value = accounts.map { it.api() }
            }
        }
    )

    override suspend fun refresh(): List<AccountSummary> = core { source.refresh().map { it.api() } }

    override suspend fun details(number: String): Cached<AccountDetails> = core { source.details(number).api() }

    override fun close() = subscription.cancel()
}

class BindingsCharges(private val charges: Charges) : LkCharges {
    /** The core's own document behind each one handed out: the split and the PDF are made from it, not from a copy. */
    private val views = ConcurrentHashMap<Pair<String, YearMonth>, DocumentView>()

    override suspend fun documents(account: String): Cached<List<DocumentSummary>> = core {
        val cached = charges.documents(account)
        Cached(cached.value.map { it.api() }, cached.refreshedAt)
    }

    override suspend fun document(account: String, period: YearMonth): Cached<PaymentDocument> = core {
        val cached = charges.document(account, period)
        views[account to period] = cached.value
        Cached(cached.value.api(), cached.refreshedAt)
    }

    override fun split(document: PaymentDocument, total: String, fixed: Map<String, BigDecimal>): Split = core {
        val split = charges.allocationPreview(view(document), total, fixed.map { (code, amount) -> FixedAmount(code, amount) })
        Split(split.total, split.parts.map { SplitPart(it.serviceCode, it.amount, it.fixed) })
    }

    override fun amount(text: String): BigDecimal = core { moneyParse(text, "fixed") }

    override fun pdf(document: PaymentDocument): ByteArray = core { charges.documentPdf(view(document)) }

    override suspend fun email(account: String, period: YearMonth, email: String?): OutboxItem = core {
        charges.emailDocument(account, period, email).api()
    }

    private fun view(document: PaymentDocument): DocumentView =
        views[document.account to document.period] ?: throw LkFailure("not_found", "Документ не загружен: откройте его заново")
}

/** The payments the app has seen (started, resolved, in a report), by id: a receipt is made from the core's own record. */
class SeenPayments {
    private val byId = ConcurrentHashMap<String, Payment>()

    fun keep(payment: Payment) {
        byId[payment.id] = payment
    }

    operator fun get(id: String): Payment? = byId[id]
}

class BindingsPayments(private val payments: Payments, private val seen: SeenPayments) : LkPayments {

    override suspend fun start(
        account: String,
        period: YearMonth,
        total: String,
        fixed: Map<String, BigDecimal>,
        receiptContact: String,
        returnUrl: String
    ): PaymentState = core {
        payments.start(
            account,
            period,
            total,
            fixed.map { (code, amount) ->
                FixedAmount(code, amount)
            },
            receiptContact,
            returnUrl
        ).also(::keep).api()
    }

    override suspend fun resolve(id: String): PaymentState = core { payments.resolve(id).also(::keep).api() }

    override suspend fun awaitResult(id: String): PaymentState {
        val cancel = CancelToken()
        return try {
            core { payments.awaitResult(id, POLL_MS, cancel).also(::keep).api() }
        } finally {
            cancel.cancel()
            cancel.close()
        }
    }

    override suspend fun resolvePending(): List<PaymentState> = core { payments.resolvePending().onEach(::keep).map { it.api() } }

    override fun receiptPdf(id: String): ByteArray {
        val payment = seen[id] ?: throw LkFailure("no_receipt", "Чека по этому платежу ещё нет")
        return core { payments.receiptPdf(payment) }
    }

    private fun keep(view: ru.vostok.lk.core.PaymentView) = seen.keep(view.payment)

    private companion object {
        const val POLL_MS = 1_000u
    }
}

class BindingsReadings(private val readings: Readings) :
    LkReadings,
    AutoCloseable {
    private val state = MutableStateFlow(readings.outbox().map { it.api() })
    override val outbox: StateFlow<List<OutboxItem>> = state
    private val subscription = readings.observeOutbox(
        object : OutboxListener {
            override fun onChange(outbox: List<OutboxEntry>) {
                state.value = outbox.map { it.api() }
            }
        }
    )

    override suspend fun meters(account: String): Cached<Meters> = core {
        val cached = readings.meters(account)
        Cached(cached.value.api(), cached.refreshedAt)
    }

    override suspend fun check(account: String, meterId: String, values: Map<TariffZone, String>): ReadingCheck =
        core { readings.check(account, meterId, values.inputs()).api() }

    override suspend fun submit(
        account: String,
        meterId: String,
        values: Map<TariffZone, String>,
        confirmed: List<String>,
        photoPath: String?,
        recognised: Boolean
    ): OutboxItem = core { readings.submit(account, meterId, values.inputs(), confirmed.codes(), photoPath, recognised).api() }

    override fun recognise(account: String, meterId: String, zone: TariffZone, texts: List<RecognisedText>): List<Proposal> = core {
        readings.recognise(account, meterId, zone.core(), texts.map { OcrCandidate(it.text, it.confidence) })
            .map { Proposal(it.value, it.findings.map { f -> f.api() }) }
    }

    override fun retry(itemId: Long) = core { readings.retry(itemId) }

    override fun retryWithoutPhoto(itemId: Long) = core { readings.retryWithoutPhoto(itemId) }

    override fun dismiss(itemId: Long) = core { readings.dismiss(itemId) }

    override fun close() = subscription.cancel()

    private fun List<String>.codes() = map { FindingCode.valueOf(it) }
}

class BindingsReports(private val reports: Reports, private val seen: SeenPayments) : LkReports {
    override suspend fun payments(account: String, from: LocalDate, to: LocalDate): Cached<PaymentsReport> = core {
        val cached = reports.payments(account, from.toString(), to.toString())
        val report = cached.value
        report.payments.forEach(seen::keep)
        Cached(
            PaymentsReport(
                report.payments.map {
                    it.api(paymentStatusRu(it.status), null)
                },
                report.totalPaid
            ),
            cached.refreshedAt
        )
    }

    override suspend fun charges(account: String, months: Int): Cached<List<ChargesMonth>> = core {
        val cached = reports.charges(account, months.toUInt())
        Cached(cached.value.months.map { m -> ChargesMonth(m.period, m.lines.map { it.api(false) }, m.totals.api()) }, cached.refreshedAt)
    }

    override suspend fun readings(account: String, commonHouse: Boolean, from: YearMonth, to: YearMonth): Cached<List<ReadingsRow>> = core {
        val scope = if (commonHouse) MeterScope.COMMON_HOUSE else MeterScope.INDIVIDUAL
        val cached = reports.readings(account, scope, from, to)
        val rows = cached.value.rows.map { r ->
            ReadingsRow(
                r.serial,
                r.kind.api(),
                r.period,
                r.values.map { it.api() },
                r.consumption.map { it.api() },
                r.source == ReadingSource.OCR,
                r.acceptedAt
            )
        }
        Cached(rows, cached.refreshedAt)
    }
}

class BindingsSettings(private val settings: Settings) : LkSettings {
    override suspend fun profile(): Cached<Profile> = core {
        val cached = settings.profile()
        Cached(cached.value.api(), cached.refreshedAt)
    }

    override suspend fun changePassword(old: String, new: String, repeat: String) = core {
        settings.changePassword(ChangePasswordRequest(old, new, repeat))
    }

    override suspend fun setNotifications(notifications: Notifications): OutboxItem = core {
        settings.setNotifications(notifications.core()).api()
    }

    override suspend fun changePhone(phone: String): ContactChange = core {
        settings.changePhone(phone).let { ContactChange(it.id, it.sentTo) }
    }

    override suspend fun confirmPhone(id: String, code: String): Profile = core { settings.confirmPhone(id, code).api() }

    override suspend fun changeEmail(email: String): ContactChange = core {
        settings.changeEmail(email).let { ContactChange(it.id, it.sentTo) }
    }

    override suspend fun linkAccount(login: String, password: String): Profile = core { settings.linkAccount(login, password).api() }

    override suspend fun paperRefusalPdf(account: String): ByteArray = core { settings.paperRefusalPdf(settings.paperRefusalForm(account)) }

    override suspend fun registerDevice(platform: PushPlatform, token: String) = core {
        settings.registerDevice(CorePushPlatform.valueOf(platform.name), token)
    }
}
