// The Kotlin suite: the real core through the generated bindings only, against the real LK
// service on a loopback port, as the Android app uses them. Run by scripts/test-kotlin.
package ru.vostok.lk.tests

import java.io.File
import java.math.BigDecimal
import java.math.RoundingMode
import java.net.InetAddress
import java.net.ServerSocket
import java.net.SocketTimeoutException
import java.time.YearMonth
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeoutOrNull
import ru.vostok.lk.AccountsListener
import ru.vostok.lk.CancelToken
import ru.vostok.lk.ClientConfig
import ru.vostok.lk.LkClient
import ru.vostok.lk.LogLevel
import ru.vostok.lk.Logger
import ru.vostok.lk.OutboxEntry
import ru.vostok.lk.OutboxListener
import ru.vostok.lk.PlatformException
import ru.vostok.lk.SecureStore
import ru.vostok.lk.SignedInListener
import ru.vostok.lk.chargeTable
import ru.vostok.lk.core.AccountSummary
import ru.vostok.lk.core.BindAccountRequest
import ru.vostok.lk.core.CaptchaAnswer
import ru.vostok.lk.core.Channel
import ru.vostok.lk.core.ChargeBasis
import ru.vostok.lk.core.ChargeLine
import ru.vostok.lk.core.Consent
import ru.vostok.lk.core.ErrorCode
import ru.vostok.lk.core.FindingCode
import ru.vostok.lk.core.FixedAmount
import ru.vostok.lk.core.LkException
import ru.vostok.lk.core.MeasureUnit
import ru.vostok.lk.core.MeterKind
import ru.vostok.lk.core.OcrCandidate
import ru.vostok.lk.core.OutboxState
import ru.vostok.lk.core.PaymentStatus
import ru.vostok.lk.core.ReadingSource
import ru.vostok.lk.core.RegistrationDetails
import ru.vostok.lk.core.RegistrationRequest
import ru.vostok.lk.core.RegistrationStatus
import ru.vostok.lk.core.Severity
import ru.vostok.lk.core.SkipReason
import ru.vostok.lk.core.UnsentActions
import ru.vostok.lk.core.ZoneInput
import ru.vostok.lk.core.consentText
import ru.vostok.lk.core.countRu
import ru.vostok.lk.core.errorTexts
import ru.vostok.lk.core.meterKindRu
import ru.vostok.lk.core.meterKindUnit
import ru.vostok.lk.core.meterKindZones
import ru.vostok.lk.core.moneyParse
import ru.vostok.lk.core.moneyRu
import ru.vostok.lk.core.numberRu
import ru.vostok.lk.core.paymentStatusRu
import ru.vostok.lk.core.periodRu
import ru.vostok.lk.core.pluralRu
import ru.vostok.lk.core.quantityRu
import ru.vostok.lk.core.skipReasonRu
import ru.vostok.lk.core.supportContacts
import ru.vostok.lk.core.unitRu
import ru.vostok.lk.core.zoneRu
import ru.vostok.lk.init
import ru.vostok.lk.signOutWarning

const val DEMO_ACCOUNT = "450001000001"

object Log : Logger {
    val lines = CopyOnWriteArrayList<String>()

    override fun log(level: LogLevel, message: String) {
        lines.add("$level $message")
    }
}

fun device(service: Service, dir: File = scratch("device"), store: MemorySecureStore = MemorySecureStore()): LkClient =
    LkClient.open(ClientConfig(baseUrl = service.url, dataDir = dir.path, timeoutSeconds = 5u), store)

/** A device signed in as the demo resident. */
suspend fun demoDevice(service: Service): LkClient = device(service).also { it.session().signIn("demo", "Demo-2026") }

suspend fun latestDocument(lk: LkClient) =
    lk.charges().document(DEMO_ACCOUNT, lk.charges().documents(DEMO_ACCOUNT).value.first().period).value

fun main(args: Array<String>) {
    val server = File(args.getOrElse(0) { "target/debug/lk-server" })
    init(Log)
    val runner = Runner()
    val service = Service(server, scratch("service")).start()
    val demo = Demo(service.url)

    runner.test("init says it is ready through the Kotlin logger") {
        check(Log.lines.any { it.contains("lk-ffi") && it.contains("ready") }) { "log: ${Log.lines}" }
    }

    runner.test("sign-in keeps the refresh token in the Kotlin SecureStore and a wrong password maps to its code") {
        runBlocking {
            val store = MemorySecureStore()
            val lk = device(service, store = store)
            val wrong = expectFailure { lk.session().signIn("demo", "Wrong-2026") }
            expectEqual(ErrorCode.INVALID_CREDENTIALS, wrong.code, "code")
            expectEqual("Неверный логин или пароль", wrong.text, "text")
            check(!lk.session().isSignedIn()) { "still signed out" }
            lk.session().signIn("demo", "Demo-2026")
            check(lk.session().isSignedIn()) { "signed in" }
            check(store.values.isNotEmpty()) { "the refresh token went to the SecureStore" }
            // A second device object on the same store and keystore is signed in too (an app restart).
            val restarted = LkClient.open(ClientConfig(service.url, scratch("restart").path, 5u), store)
            check(restarted.session().isSignedIn()) { "the session survives a restart" }
            expectEqual(DEMO_ACCOUNT, restarted.accounts().refresh().single().number, "account")
        }
    }

    runner.test("a keystore that throws is logged, not a crash: signed in for this run, asked again after a restart") {
        runBlocking {
            val locked = object : SecureStore {
                override fun get(key: String): String? = throw PlatformException.Failed("Хранилище ключей заблокировано")
                override fun set(key: String, value: String): Unit = throw IllegalStateException("KeyStore is locked")
                override fun delete(key: String) {}
            }
            val lk = LkClient.open(ClientConfig(service.url, scratch("locked").path, 5u), locked)
            check(!lk.session().isSignedIn()) { "nothing could be read" }
            lk.session().signIn("demo", "Demo-2026")
            check(lk.session().isSignedIn()) { "signed in for this run" }
            check(Log.lines.any { "SecureStore.get" in it && "Хранилище ключей заблокировано" in it }) { "the keystore's own error logged: ${Log.lines}" }
            check(Log.lines.any { "SecureStore.set" in it && "KeyStore is locked" in it }) { "an unexpected exception logged: ${Log.lines}" }
            val restarted = LkClient.open(ClientConfig(service.url, scratch("locked").path, 5u), locked)
            check(!restarted.session().isSignedIn()) { "no token kept, so the person signs in again" }
        }
    }

    runner.test("registration: CAPTCHA, consent, account with its proof, SMS code, then sign-in (R1–R3)") {
        runBlocking {
            val lk = device(service)
            val session = lk.session()
            check(session.cities().any { "Курган" in it.cities }) { "cities" }
            val (number, proof) = demo.freeAccounts()[2]
            val captcha = session.captcha()
            val phone = "+79120000555"
            val started = session.startRegistration(
                RegistrationRequest(
                    RegistrationDetails("kotlin2026", "Kotlin-2026", Channel.PHONE, phone, "Курган"),
                    CaptchaAnswer(captcha.id, demo.captchaAnswer(captcha.id)),
                    Consent(true, "2026-01"),
                ),
            )
            expectEqual(RegistrationStatus.AWAITING_ACCOUNT, started.status, "status")
            val wrong = expectFailure { session.bindAccount(started.id, BindAccountRequest(number, "1.00")) }
            expectEqual(ErrorCode.ACCOUNT_NOT_MATCHED, wrong.code, "a wrong proof")
            val bound = session.bindAccount(started.id, BindAccountRequest(number, proof))
            check(bound.account!!.ownerMasked.contains('*')) { "the owner is masked: ${bound.account}" }
            expectEqual(RegistrationStatus.AWAITING_CODE, session.confirmAccount(started.id).status, "status")
            val badCode = expectFailure { session.registrationCode(started.id, "000000") }
            expectEqual(ErrorCode.INVALID_CODE, badCode.code, "a wrong code")
            expectEqual("code", badCode.field, "its field")
            val done = session.registrationCode(started.id, demo.codeSentTo(phone))
            expectEqual(RegistrationStatus.COMPLETED, done.status, "status")
            session.signIn("kotlin2026", "Kotlin-2026")
            expectEqual(number, lk.accounts().refresh().single().number, "the bound account")
        }
    }

    runner.test("charges: the 8 columns of every line and the totals add up in BigDecimal (R7); the payment QR names the account and the amount due (R8)") {
        runBlocking {
            val lk = demoDevice(service)
            val view = latestDocument(lk)
            val doc = view.document
            check(doc.lines.size >= 5) { "lines: ${doc.lines.size}" }
            for (line in doc.lines) {
                val b = line.basis
                val charged = b.tariff.multiply(b.volume).setScale(2, RoundingMode.HALF_UP)
                expectEqual(0, charged.compareTo(line.charged), "column 6 of ${b.serviceName}")
                val toPay = b.debt - b.paid + line.charged + b.recalculation
                expectEqual(0, toPay.compareTo(line.toPay), "column 8 of ${b.serviceName}")
                expectEqual(2, line.toPay.scale(), "kopecks of ${b.serviceName}")
            }
            val sum = { f: (ChargeLine) -> BigDecimal -> doc.lines.fold(BigDecimal.ZERO) { acc, l -> acc + f(l) } }
            expectEqual(0, sum { it.basis.debt }.compareTo(doc.totals.debt), "total of column 3")
            expectEqual(0, sum { it.basis.paid }.compareTo(doc.totals.paid), "total of column 4")
            expectEqual(0, sum { it.charged }.compareTo(doc.totals.charged), "total of column 6")
            expectEqual(0, sum { it.toPay }.compareTo(doc.totals.toPay), "total of column 8")
            // R8: the GOST R 56042-2014 payload a banking app scans to pay this very document.
            val qr = view.paymentQr!!.split("|")
            expectEqual("ST00011", qr.first(), "the QR's header (windows-1251, what bank apps read best)")
            val fields = qr.drop(1).associate { it.substringBefore("=") to it.substringAfter("=") }
            expectEqual(doc.head.account.number, fields["PersAcc"], "the QR names the account")
            val kopecks = doc.totals.amountDue.movePointRight(2).toBigIntegerExact().toString()
            expectEqual(kopecks, fields["Sum"], "the QR's sum is the amount due, in kopecks")
            val pdf = lk.charges().documentPdf(view)
            check(String(pdf.copyOfRange(0, 5)) == "%PDF-") { "a PDF made on the device" }
        }
    }

    runner.test("charges: the core computes every case of tests/fixtures/charges.json to the kopeck (R7)") {
        val cases = fixtureCases("charges.json")
        check(cases.size >= 4) { "cases: ${cases.size}" }
        for (case in cases) {
            val id = case.text("id")
            val bases = case.objects("lines").map {
                ChargeBasis(
                    serviceCode = it.text("service_code"),
                    serviceName = it.text("service_name"),
                    unit = MeasureUnit.valueOf(it.text("unit").uppercase()),
                    tariff = it.amount("tariff"),
                    debt = it.amount("debt"),
                    paid = it.amount("paid"),
                    volume = it.amount("volume"),
                    recalculation = it.amount("recalculation"),
                )
            }
            val table = chargeTable(bases)
            val expected = case.objects("expected_lines")
            expectEqual(expected.size, table.lines.size, "$id: lines")
            for ((line, columns) in table.lines.zip(expected)) {
                expectAmount(columns.amount("charged"), line.charged, "$id: column 6 of ${line.basis.serviceCode}")
                expectAmount(columns.amount("to_pay"), line.toPay, "$id: column 8 of ${line.basis.serviceCode}")
            }
            val totals = case.getAsJsonObject("expected_totals")
            val t = table.totals
            expectAmount(totals.amount("debt"), t.debt, "$id: total of column 3")
            expectAmount(totals.amount("paid"), t.paid, "$id: total of column 4")
            expectAmount(totals.amount("charged"), t.charged, "$id: total of column 6")
            expectAmount(totals.amount("recalculation"), t.recalculation, "$id: total of column 7")
            expectAmount(totals.amount("to_pay"), t.toPay, "$id: total of column 8")
            expectAmount(totals.amount("amount_due"), t.amountDue, "$id: amount due")
            expectAmount(totals.amount("credit"), t.credit, "$id: credit")
        }
        val negative = expectFailure { chargeTable(listOf(ChargeBasis("gas", "Газоснабжение", MeasureUnit.CUBIC_METRE, BigDecimal("7.94"), BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal("-1"), BigDecimal.ZERO))) }
        expectEqual(ErrorCode.INVALID_INPUT, negative.code, "a negative volume")
        expectEqual("lines", negative.field, "its field")
        check("Газоснабжение" in negative.text) { "the service is named: ${negative.text}" }
    }

    runner.test("Russian as the core writes it: 99 997,5, 1,5 м³, 3 показания, 21 день; support with its e-mail") {
        expectEqual("99\u00a0997,5", numberRu(BigDecimal("99997.50")), "grouped, a decimal comma")
        expectEqual("1,5\u00a0м³", quantityRu(BigDecimal("1.5"), MeasureUnit.CUBIC_METRE), "with its unit")
        expectEqual("3 показания", countRu(3, "показание", "показания", "показаний"), "3")
        expectEqual("день", pluralRu(21, "день", "дня", "дней"), "21")
        expectEqual("дней", pluralRu(11, "день", "дня", "дней"), "11")
        val support = supportContacts()
        check("8 800 250-60-06" in support && "@" in support) { "hot line and e-mail: $support" }
    }

    runner.test("the core's names for the apps: month, zones, meter kinds, units, skips, statuses, every error code, the consent") {
        expectEqual("ноябрь 2026", periodRu(YearMonth.of(2026, 11)), "the month")
        expectEqual(listOf("День (Т1)", "Ночь (Т2)"), meterKindZones(MeterKind.ELECTRICITY_TWO_ZONE).map { zoneRu(it) }, "zones")
        expectEqual("м³", unitRu(meterKindUnit(MeterKind.COLD_WATER)), "unit")
        expectEqual("Холодная вода", meterKindRu(MeterKind.COLD_WATER), "kind")
        expectEqual("пломба нарушена", skipReasonRu(SkipReason.SEAL_BROKEN), "skip")
        expectEqual("Оплата выполнена успешно", paymentStatusRu(PaymentStatus.SUCCEEDED), "status")
        expectEqual(BigDecimal("1234.50"), moneyParse("1 234,5", "amount"), "typed money")
        val refused = runCatching { moneyParse("12,345", "amount") }.exceptionOrNull() as LkException.Failed
        expectEqual("amount", refused.field, "the field of a typed amount refused")
        val notMoney = runCatching { moneyRu(BigDecimal("1.234")) }.exceptionOrNull()
        check(notMoney is LkException.Failed && notMoney.code == ErrorCode.INVALID_INPUT) { "three decimals refused, not a crash: $notMoney" }
        val texts = errorTexts()
        expectEqual(ErrorCode.entries.toSet(), texts.map { it.code }.toSet(), "every code listed")
        check(texts.all { t -> t.text.any { it in 'а'..'я' } }) { "each in Russian: $texts" }
        val consent = consentText()
        check(consent.version == "2026-01" && "персональных данных" in consent.text) { "consent: $consent" }
    }

    runner.test("allocation: every case of tests/fixtures/allocation.json through Charges.allocationPreview (R9)") {
        runBlocking {
            val lk = demoDevice(service)
            val served = latestDocument(lk)
            val template = served.document.lines.first().basis
            for (case in fixtureCases("allocation.json")) {
                val id = case.text("id")
                val lines = case.objects("lines")
                // The served document with the fixture's lines: what the screen would hold.
                val view = served.copy(
                    document = served.document.copy(
                        lines = lines.map { ChargeLine(template.copy(serviceCode = it.text("service_code")), it.amount("charged"), it.amount("to_pay")) },
                    ),
                    editableServices = lines.filter { it.get("editable").asBoolean }.map { it.text("service_code") },
                )
                val fixed = case.objects("fixed").map { FixedAmount(it.text("service_code"), it.amount("amount")) }
                if (case.has("expected_error")) {
                    val refused = expectFailure { lk.charges().allocationPreview(view, case.text("total"), fixed) }
                    expectEqual(ErrorCode.INVALID_INPUT, refused.code, "$id (${case.text("expected_error")})")
                    expectEqual("fixed", refused.field, "$id: the field at fault")
                } else {
                    val split = lk.charges().allocationPreview(view, case.text("total"), fixed)
                    val expected = case.getAsJsonArray("expected").map { BigDecimal(it.asString) }
                    expectEqual(expected.size, split.parts.size, "$id: parts")
                    for ((part, amount) in split.parts.zip(expected)) expectAmount(amount, part.amount, "$id: ${part.serviceCode}")
                }
            }
        }
    }

    runner.test("allocation: the typed total splits over the services to the kopeck, fixed amounts kept (R9)") {
        runBlocking {
            val lk = demoDevice(service)
            val view = latestDocument(lk)
            val split = lk.charges().allocationPreview(view, "1 500,00", emptyList())
            expectEqual(BigDecimal("1500.00"), split.total, "total")
            expectEqual(0, split.parts.fold(BigDecimal.ZERO) { acc, p -> acc + p.amount }.compareTo(BigDecimal("1500.00")), "sum of parts")
            val editable = view.editableServices.first()
            val fixed = lk.charges().allocationPreview(view, "1500", listOf(FixedAmount(editable, BigDecimal("200.00"))))
            expectEqual(BigDecimal("200.00"), fixed.parts.single { it.serviceCode == editable }.amount, "the fixed part")
            val typo = expectFailure { lk.charges().allocationPreview(view, "15,00,0", emptyList()) }
            expectEqual(ErrorCode.INVALID_INPUT, typo.code, "a typo in the sum")
            expectEqual("total", typo.field, "its field")
            // A BigDecimal the core's Money refuses, inside a record: a clear error, not a crash.
            val kopecks = expectFailure { lk.charges().allocationPreview(view, "1500", listOf(FixedAmount(editable, BigDecimal("200.555")))) }
            expectEqual(ErrorCode.INVALID_INPUT, kopecks.code, "three decimals in a fixed amount")
            check("200.555" in kopecks.text && "Копеек" in kopecks.text) { "the value and the reason: ${kopecks.text}" }
        }
    }

    runner.test("payment through the sandbox acquirer's pages, posted as a browser would; receipt (R9)") {
        runBlocking {
            val lk = demoDevice(service)
            val period = latestDocument(lk).document.head.period
            val started = lk.payments().start(DEMO_ACCOUNT, period, "250,00", emptyList(), "demo@example.ru", "lk://payments/return")
            expectEqual(BigDecimal("250.00"), started.payment.allocation.total, "total")
            val back = demo.payOnAcquirerPage(started.confirmationUrl!!, "4111 1111 1111 1111")
            expectEqual("lk://payments/return", back, "back to the app")
            val done = lk.payments().awaitResult(started.payment.id, 100u, CancelToken())
            expectEqual(PaymentStatus.SUCCEEDED, done.payment.status, "status")
            expectEqual("Оплата выполнена успешно", done.statusText, "status text")
            expectEqual(BigDecimal("250.00"), done.payment.receipt!!.total, "receipt total")
            check(lk.payments().resolvePending().isEmpty()) { "nothing left unknown" }
        }
    }

    runner.test("waiting for a payment that is never paid stops on CancelToken.cancel()") {
        runBlocking {
            val lk = demoDevice(service)
            val period = latestDocument(lk).document.head.period
            val started = lk.payments().start(DEMO_ACCOUNT, period, "10.00", emptyList(), "+7 912 000-00-01", "lk://back")
            val cancel = CancelToken()
            launch {
                delay(300)
                cancel.cancel()
            }
            val stopped = expectFailure { lk.payments().awaitResult(started.payment.id, 100u, cancel) }
            expectEqual(ErrorCode.CANCELLED, stopped.code, "code")
            expectEqual(1, lk.payments().resolvePending().size, "still pending, asked about on the next start")
        }
    }

    runner.test("cancelling the coroutine that awaits a call aborts the Rust work: the server sees the connection closed") {
        ServerSocket(0, 1, InetAddress.getLoopbackAddress()).use { silent ->
            val config = ClientConfig(baseUrl = "http://127.0.0.1:${silent.localPort}", dataDir = scratch("silent").path, timeoutSeconds = 60u)
            val lk = LkClient.open(config, MemorySecureStore())
            runBlocking {
                check(withTimeoutOrNull(300) { lk.session().cities() } == null) { "a server that never answers answered" }
            }
            silent.accept().use { connection ->
                connection.soTimeout = 10_000
                val request = try {
                    connection.getInputStream().readBytes()
                } catch (e: SocketTimeoutException) {
                    throw AssertionError("the request is still open 10 s after its coroutine was cancelled")
                }
                check(String(request).startsWith("GET ")) { "request: ${String(request)}" }
            }
        }
    }

    runner.test("readings: check, confirm a rollover, refuse an expired meter, submit and sync (R10–R12)") {
        runBlocking {
            val lk = demoDevice(service)
            val meters = lk.readings().meters(DEMO_ACCOUNT).value
            check(meters.windowOpen) { "the window is open on the service's day" }
            expectEqual(YearMonth.of(2026, 11), meters.period, "the period readings count for")
            val cold = meters.meters.single { it.meter.kind == MeterKind.COLD_WATER }
            val coldValues = cold.start!!.values.map { ZoneInput(it.zone, (it.value + BigDecimal("1.5")).toPlainString()) }
            val ok = lk.readings().check(DEMO_ACCOUNT, cold.meter.id, coldValues)
            check(!ok.isRefused()) { "cold water: ${ok.findings}" }
            expectEqual(0, ok.zones.single().consumption!!.compareTo(BigDecimal("1.5")), "consumption")

            val hot = meters.meters.single { it.meter.kind == MeterKind.HOT_WATER }
            val rolled = listOf(ZoneInput(hot.start!!.values.single().zone, "3.5"))
            val rollover = lk.readings().check(DEMO_ACCOUNT, hot.meter.id, rolled)
            check(FindingCode.ROLLOVER in rollover.toConfirm()) { "a rollover asks to confirm: ${rollover.findings}" }
            val wrapped = hot.meter.dial.consumption(hot.start!!.values.single().value, BigDecimal("3.5"))
            check(wrapped!!.compareTo(rollover.zones.single().consumption!!) == 0) { "the dial counts through zero as the check: $wrapped" }
            val gas = meters.meters.single { it.meter.kind == MeterKind.GAS }
            check(gas.verificationExpired) { "the demo gas meter is past verification" }
            // The core's rule, for a day the app judges itself (offline, a day later).
            check(gas.meter.verificationExpired(meters.today) && !gas.meter.verificationDueSoon(meters.today)) { "expired by the core" }
            check(cold.meter.verificationDueSoon(meters.today)) { "the demo cold-water meter's verification ends within 30 days" }
            val expired = lk.readings().check(DEMO_ACCOUNT, gas.meter.id, gas.start!!.values.map { ZoneInput(it.zone, (it.value + BigDecimal.ONE).toPlainString()) })
            check(expired.findings.any { it.code == FindingCode.VERIFICATION_EXPIRED && it.severity == Severity.REFUSE }) { "expired: ${expired.findings}" }

            val first = lk.readings().submit(DEMO_ACCOUNT, cold.meter.id, coldValues, ok.toConfirm(), null, false)
            val second = lk.readings().submit(DEMO_ACCOUNT, hot.meter.id, rolled, rollover.toConfirm(), null, false)
            expectEqual(OutboxState.QUEUED, first.state, "queued at once")
            val report = lk.syncNow()
            expectEqual(2u, report.sent, "sent")
            val states = lk.readings().outbox().filter { it.id == first.id || it.id == second.id }.map { it.state }
            expectEqual(listOf(OutboxState.SENT, OutboxState.SENT), states, "both accepted")
        }
    }

    runner.test("a reading sent without the confirmation it needs comes back as an action, then goes once confirmed") {
        runBlocking {
            val lk = device(service)
            lk.session().signIn("orenburg", "Orenburg-2026")
            val number = lk.accounts().refresh().first().number
            val hot = lk.readings().meters(number).value.meters.first { it.meter.kind == MeterKind.HOT_WATER }
            val high = listOf(ZoneInput(hot.start!!.values.single().zone, (hot.start!!.values.single().value + BigDecimal("90")).toPlainString()))
            val check = lk.readings().check(number, hot.meter.id, high)
            check(check.toConfirm().isNotEmpty()) { "90 m³ in a month asks to confirm: ${check.findings}" }
            val item = lk.readings().submit(number, hot.meter.id, high, emptyList(), null, false)
            expectEqual(1u, lk.syncNow().needsAction, "refused by the server")
            val refusedItem = lk.readings().outbox().single { it.id == item.id }
            expectEqual(OutboxState.NEEDS_ACTION, refusedItem.state, "state")
            expectEqual(ErrorCode.READING_NOT_CONFIRMED, refusedItem.error!!.code, "the server's code")
            lk.readings().confirmRefused(item.id, check.toConfirm())
            expectEqual(1u, lk.syncNow().sent, "sent after confirmation")
        }
    }

    runner.test("listeners get the current value first, then updates, and stop on cancel") {
        runBlocking {
            val lk = device(service)
            val states = CopyOnWriteArrayList<Boolean>()
            val first = CountDownLatch(1)
            val sessionSub = lk.session().observe(object : SignedInListener {
                override fun onChange(signedIn: Boolean) {
                    states.add(signedIn)
                    first.countDown()
                }
            })
            check(first.await(5, TimeUnit.SECONDS)) { "the current value at once" }
            lk.session().signIn("demo", "Demo-2026")
            val seenLists = CopyOnWriteArrayList<List<AccountSummary>>()
            val accountsSub = lk.accounts().observe(object : AccountsListener {
                override fun onChange(accounts: List<AccountSummary>) {
                    seenLists.add(accounts)
                }
            })
            lk.accounts().refresh()
            waitFor { seenLists.any { it.isNotEmpty() } }
            expectEqual(emptyList<AccountSummary>(), seenLists.first(), "the (empty) store first")
            accountsSub.cancel()
            lk.session().signOut(UnsentActions.KEEP_FOR_NEXT_SIGN_IN)
            waitFor { states.size >= 3 }
            expectEqual(listOf(false, true, false), states.toList(), "signed-in states")
            val seen = seenLists.size
            lk.session().signIn("demo", "Demo-2026")
            lk.accounts().refresh()
            delay(200)
            expectEqual(seen, seenLists.size, "nothing after cancel")
            sessionSub.close()
        }
    }

    runner.test("offline: readings of 3 meters queued with the service down, a new device process, each accepted once") {
        runBlocking {
            val dir = scratch("offline")
            val store = MemorySecureStore()
            val values = mutableMapOf<String, List<ZoneInput>>()
            val number = run {
                val lk = device(service, dir, store)
                lk.session().signIn("petrov", "Petrov-2026")
                val number = lk.accounts().refresh().first().number
                val meters = lk.readings().meters(number).value.meters.filter { !it.verificationExpired }
                check(meters.size >= 3) { "petrov has 3 meters: ${meters.size}" }
                service.stop()
                // Whatever fails here, the service comes back for the tests after this one.
                try {
                    for (m in meters.take(3)) {
                        val typed = m.start!!.values.map { ZoneInput(it.zone, (it.value + BigDecimal.ONE).toPlainString()) }
                        val check = lk.readings().check(number, m.meter.id, typed)
                        check(!check.isRefused()) { "offline check from the store: ${check.findings}" }
                        lk.readings().submit(number, m.meter.id, typed, check.toConfirm(), null, false)
                        values[m.meter.id] = typed
                    }
                    val report = lk.syncNow()
                    expectEqual(3u, report.waiting, "all wait for the network")
                } finally {
                    lk.close()
                    service.start()
                }
                number
            }
            val again = device(service, dir, store)
            expectEqual(3, again.readings().outbox().count { it.state == OutboxState.QUEUED }, "kept by the store")
            again.networkAvailable()
            expectEqual(3u, again.syncNow().sent, "sent")
            expectEqual(0u, again.syncNow().sent, "and never again")
            val meters = again.readings().meters(number).value.meters
            for ((id, typed) in values) {
                val current = meters.single { it.meter.id == id }.current
                check(current != null) { "meter $id has the reading" }
                expectEqual(typed.map { BigDecimal(it.text).stripTrailingZeros() }, current!!.values.map { it.value.stripTrailingZeros() }, "values of $id")
            }
        }
    }

    runner.test("a reading queued offline stays its resident's: kept at sign-out, unseen and unsent by the next one, sent when its owner is back") {
        runBlocking {
            val lk = device(service)
            lk.session().signIn("orenburg", "Orenburg-2026")
            val number = lk.accounts().refresh().first().number
            val gas = lk.readings().meters(number).value.meters.first { it.meter.kind == MeterKind.GAS }
            val typed = gas.start!!.values.map { ZoneInput(it.zone, (it.value + BigDecimal.ONE).toPlainString()) }
            val photo = File(scratch("photo"), "dial.jpg")
            photo.writeBytes(byteArrayOf(0xFF.toByte(), 0xD8.toByte(), 0xFF.toByte(), 0xE0.toByte(), 0, 0x10))
            service.stop()
            // Whatever fails here, the service comes back for the tests after this one.
            val queued = try {
                val item = lk.readings().submit(number, gas.meter.id, typed, emptyList(), photo.path, false)
                check(item.hasPhoto) { "the photo is kept in the store" }
                expectEqual(1u, lk.session().unsent(), "one unsent item to warn about")
                val warning = signOutWarning(lk.session().unsent())
                check(warning != null && warning.startsWith("1 запись")) { "the warning: $warning" }
                expectEqual(1u, lk.session().signOut(UnsentActions.KEEP_FOR_NEXT_SIGN_IN), "kept")
                item
            } finally {
                service.start()
            }
            check(photo.delete()) { "the gallery's file goes; the store has a copy" }
            expectEqual(emptyList<OutboxEntry>(), lk.readings().outbox(), "signed out: nobody's outbox")

            lk.session().signIn("petrov", "Petrov-2026")
            expectEqual(emptyList<OutboxEntry>(), lk.readings().outbox(), "petrov does not see it")
            lk.networkAvailable()
            expectEqual(0u, lk.syncNow().sent, "nor sends it with his session")
            expectEqual(ErrorCode.INVALID_INPUT, expectFailure { lk.readings().dismiss(queued.id) }.code, "nor dismisses it")
            expectEqual(0u, lk.session().signOut(UnsentActions.DISCARD), "petrov had nothing unsent")

            lk.session().signIn("orenburg", "Orenburg-2026")
            expectEqual(listOf(queued.id to OutboxState.QUEUED), lk.readings().outbox().map { it.id to it.state }, "hers again")
            lk.networkAvailable()
            expectEqual(1u, lk.syncNow().sent, "sent with her own session")
            val current = lk.readings().meters(number).value.meters.single { it.meter.id == gas.meter.id }.current
            expectEqual(typed.map { BigDecimal(it.text).stripTrailingZeros() }, current!!.values.map { it.value.stripTrailingZeros() }, "accepted")
        }
    }

    runner.test("a refused reading is retried, corrected with a new value, or dismissed; a photo that is not an image is refused in Russian") {
        runBlocking {
            val lk = device(service)
            lk.session().signIn("orenburg", "Orenburg-2026")
            val number = lk.accounts().refresh().first().number
            val hot = lk.readings().meters(number).value.meters.first { it.meter.kind == MeterKind.HOT_WATER }
            val zone = hot.start!!.values.single().zone
            val start = hot.start!!.values.single().value
            val text = File(scratch("not-a-photo"), "dial.jpg")
            text.writeText("not a picture")
            val notImage = expectFailure { lk.readings().submit(number, hot.meter.id, listOf(ZoneInput(zone, "1")), emptyList(), text.path, false) }
            expectEqual(ErrorCode.INVALID_INPUT to "photo", notImage.code to notImage.field, "refused at once")
            check("JPEG, PNG или HEIC" in notImage.text) { notImage.text }

            val lower = listOf(ZoneInput(zone, (start - BigDecimal.ONE).toPlainString()))
            val item = lk.readings().submit(number, hot.meter.id, lower, emptyList(), null, false)
            expectEqual(1u, lk.syncNow().needsAction, "lower than before: refused")
            lk.readings().retry(item.id)
            expectEqual(1u, lk.syncNow().needsAction, "and again when simply retried")
            val right = listOf(ZoneInput(zone, (start + BigDecimal("2")).toPlainString()))
            lk.readings().correct(item.id, right, lk.readings().check(number, hot.meter.id, right).toConfirm())
            expectEqual(1u, lk.syncNow().sent, "the corrected value is accepted")
            expectEqual(ErrorCode.INVALID_INPUT, expectFailure { lk.readings().correct(item.id, right, emptyList()) }.code, "an accepted one is not corrected")

            val again = lk.readings().submit(number, hot.meter.id, lower, emptyList(), null, false)
            lk.syncNow()
            lk.readings().dismiss(again.id)
            check(lk.readings().outbox().none { it.id == again.id }) { "dismissed" }
        }
    }

    runner.test("a dial photo's recognised texts become the core's proposals, and the chosen reading goes marked as recognised (R21)") {
        runBlocking {
            val lk = demoDevice(service)
            val meters = lk.readings().meters(DEMO_ACCOUNT).value.meters
            val electricity = meters.single { it.meter.kind == MeterKind.ELECTRICITY_TWO_ZONE }
            val chosen = electricity.start!!.values.map { start ->
                val value = start.value + BigDecimal.ONE
                val read = listOf(OcrCandidate("кВт·ч", 0.97f), OcrCandidate(value.toPlainString().replace('0', 'O'), 0.9f))
                val proposals = lk.readings().recognise(DEMO_ACCOUNT, electricity.meter.id, start.zone, read)
                expectEqual(0, proposals.first().value.compareTo(value), "the best proposal for ${start.zone}")
                ZoneInput(start.zone, proposals.first().value.toPlainString())
            }
            val check = lk.readings().check(DEMO_ACCOUNT, electricity.meter.id, chosen)
            lk.readings().submit(DEMO_ACCOUNT, electricity.meter.id, chosen, check.toConfirm(), null, true)
            expectEqual(1u, lk.syncNow().sent, "sent")
            val current = lk.readings().meters(DEMO_ACCOUNT).value.meters.single { it.meter.id == electricity.meter.id }.current!!
            expectEqual(ReadingSource.OCR, current.source, "marked as recognised")
        }
    }

    runner.test("the outbox listener hears each change of the queue") {
        runBlocking {
            val lk = device(service)
            val heard = CopyOnWriteArrayList<List<OutboxEntry>>()
            val sub = lk.readings().observeOutbox(object : OutboxListener {
                override fun onChange(outbox: List<OutboxEntry>) {
                    heard.add(outbox)
                }
            })
            waitFor { heard.isNotEmpty() }
            lk.session().signIn("demo", "Demo-2026")
            val cold = lk.readings().meters(DEMO_ACCOUNT).value.meters.single { it.meter.kind == MeterKind.COLD_WATER }
            val typed = cold.current!!.values.map { ZoneInput(it.zone, (it.value + BigDecimal("0.5")).toPlainString()) }
            val check = lk.readings().check(DEMO_ACCOUNT, cold.meter.id, typed)
            lk.readings().submit(DEMO_ACCOUNT, cold.meter.id, typed, check.toConfirm(), null, false)
            waitFor { heard.last().any { it.state == OutboxState.QUEUED } }
            lk.syncNow()
            waitFor { heard.last().all { it.state == OutboxState.SENT } }
            sub.cancel()
        }
    }

    runner.test("bad input comes back as invalid_input under its field, never a crash") {
        runBlocking {
            val lk = demoDevice(service)
            val period = YearMonth.of(2026, 10)
            val phone = expectFailure { lk.payments().start(DEMO_ACCOUNT, period, "10", emptyList(), "12345", "lk://back") }
            expectEqual(ErrorCode.INVALID_INPUT to "receipt_contact", phone.code to phone.field, "a phone that is not one")
            val account = expectFailure { lk.payments().start("12", period, "10", emptyList(), "demo@example.ru", "lk://back") }
            expectEqual("account_number", account.field, "field")
            val dates = expectFailure { lk.reports().payments(DEMO_ACCOUNT, "вчера", "2026-11-21") }
            expectEqual("from", dates.field, "field")
        }
    }

    roundsTests(runner, service)

    service.stop()
    kotlin.system.exitProcess(runner.summary())
}

fun waitFor(condition: () -> Boolean) {
    val deadline = System.nanoTime() + 5_000_000_000L
    while (!condition()) {
        check(System.nanoTime() < deadline) { "timed out waiting" }
        Thread.sleep(10)
    }
}
