import Foundation
import LkFeatures
import LkFeaturesTesting
import LkImplementation
import LkInterface
import LkTestSupport
import XCTest

/// The person in the browser: pays on the sandbox acquirer's page (what ASWebAuthenticationSession
/// shows on the phone), then the sheet closes.
struct SandboxBrowser: PaymentBrowser {
    let demo: Demo
    func open(_ page: URL, returningTo returnURL: String) async throws {
        _ = try demo.payOnAcquirerPage(page.absoluteString)
    }
}

/// The view models over the real core and the real LK service (R1–R12).
@MainActor
final class FeaturesAgainstTheServiceTests: XCTestCase {
    nonisolated(unsafe) static var service: TestService!
    nonisolated override class func setUp() {
        super.setUp()
        service = try! TestService.start()
    }
    nonisolated override class func tearDown() {
        service.stop()
        super.tearDown()
    }

    func device(_ url: String = FeaturesAgainstTheServiceTests.service.url) throws -> CoreLk {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lk-ios-\(UUID().uuidString)")
        return try CoreLk(baseURL: url, dataDirectory: folder, tokens: InMemoryTokenStore(), timeoutSeconds: 5)
    }

    func signedIn(_ login: String = "demo", _ password: String = "Demo-2026") async throws -> CoreLk {
        let lk = try device()
        try await lk.session.signIn(login: login, password: password)
        return lk
    }

    func testSignInThenTheAccountWithItsDebtInRussian() async throws {
        let lk = try device()
        let routes = Routes()
        let signIn = SignInViewModel(session: lk.session, navigate: routes.navigate)
        await signIn.send(.setLogin("demo"))
        await signIn.send(.setPassword("Wrong-2026"))
        await signIn.send(.signIn)
        XCTAssertEqual(signIn.state.error, "Неверный логин или пароль")
        await signIn.send(.setPassword("Demo-2026"))
        await signIn.send(.signIn)
        XCTAssertEqual(routes.seen, [.accounts])
        let accounts = AccountsViewModel(accounts: lk.accounts, formatting: lk.formatting, navigate: routes.navigate)
        await accounts.send(.appear)
        XCTAssertEqual(accounts.state.rows.map(\.id), ["450001000001"])
        XCTAssertTrue(accounts.state.rows[0].balance.hasSuffix("\u{a0}₽"), accounts.state.rows[0].balance)
        XCTAssertNil(accounts.state.notice)
        let details = AccountDetailsViewModel(
            number: "450001000001", accounts: lk.accounts, formatting: lk.formatting,
            navigate: routes.navigate)
        await details.send(.appear)
        XCTAssertNil(details.state.error)
        XCTAssertFalse(details.state.services.isEmpty)
        XCTAssertTrue(details.state.suppliers.allSatisfy { $0[1].hasPrefix("ИНН ") }, "\(details.state.suppliers)")
    }

    func testTheRegistrationWizardStepByStepWithTheCoresRefusals() async throws {
        // R1–R3 against the service: wrong CAPTCHA, wrong proof, wrong code, then done.
        let demo = Demo(Self.service)
        let lk = try device()
        let routes = Routes()
        let model = RegistrationViewModel(session: lk.session, navigate: routes.navigate)
        await model.send(.appear)
        XCTAssertTrue(model.state.cities.contains("Курган"))
        let phone = "+79120000777"
        await model.send(
            .edit {
                $0.login = "swift2026"; $0.password = "Swift-2026"; $0.contact = phone; $0.city = "Курган"
            })
        await model.send(.setCaptchaAnswer(try demo.captchaAnswer(model.state.captcha!.id)))
        await model.send(.submitForm)
        XCTAssertEqual(model.state.step, .form)
        XCTAssertEqual(
            model.state.fieldErrors[.consent] ?? model.state.error, "Без согласия на обработку персональных данных регистрация невозможна")
        await model.send(.edit { $0.consent = true })
        await model.send(.setCaptchaAnswer("000000"))
        await model.send(.submitForm)
        XCTAssertEqual(model.state.step, .form)
        XCTAssertEqual(
            model.state.fieldErrors[.captcha] ?? model.state.error, "Код с картинки введён неверно, попробуйте новый",
            "\(model.state.fieldErrors)")
        await model.send(.setCaptchaAnswer(try demo.captchaAnswer(model.state.captcha!.id)))
        await model.send(.submitForm)
        XCTAssertEqual(model.state.step, .account, "\(model.state.fieldErrors) \(model.state.error ?? "")")
        let (number, proof) = try demo.freeAccounts()[3]
        await model.send(.setAccountNumber(number))
        await model.send(.setLatestTotal("1.00"))
        await model.send(.bindAccount)
        XCTAssertEqual(model.state.step, .account)
        XCTAssertEqual(
            model.state.fieldErrors[.accountNumber] ?? model.state.error,
            "Лицевой счёт с такой суммой последнего платёжного документа не найден. Проверьте номер счёта и сумму «Итого к оплате»",
            "\(model.state.fieldErrors) \(model.state.step)")
        await model.send(.setLatestTotal(proof))
        await model.send(.bindAccount)
        XCTAssertEqual(model.state.step, .confirmAccount)
        XCTAssertTrue(model.state.preview.contains("Лицевой счёт: \(number)"), "\(model.state.preview)")
        await model.send(.confirmAccount)
        XCTAssertEqual(model.state.step, .code)
        await model.send(.setCode("000000"))
        await model.send(.submitCode)
        XCTAssertEqual(model.state.fieldErrors[.code], "Неверный код")
        await model.send(.setCode(try demo.codeSentTo(phone)))
        await model.send(.submitCode)
        XCTAssertEqual(model.state.step, .done)
        await model.send(.finish)
        XCTAssertEqual(routes.seen, [.signIn])
        try await lk.session.signIn(login: "swift2026", password: "Swift-2026")
        let accounts = try await lk.accounts.refresh()
        XCTAssertEqual(accounts.map(\.number), [number])
    }

    func testThePaymentIsSplitConfirmedPaidOnTheBanksPageAndConfirmedByTheCore() async throws {
        // R9, R23
        let lk = try await signedIn()
        let number = "450001000001"
        let latest = try await lk.charges.documents(number: number).value.max { $0.period < $1.period }!.period
        let model = PaymentViewModel(
            number: number, period: latest, charges: lk.charges, payments: lk.payments,
            browser: SandboxBrowser(demo: Demo(Self.service)), formatting: lk.formatting,
            returnURL: "lk://payment", navigate: Routes().navigate)
        await model.send(.appear)
        XCTAssertFalse(model.state.parts.isEmpty)
        await model.send(.setTotal("1 500,00"))
        XCTAssertNil(model.state.totalError)
        await model.send(.setTotal("сто"))
        XCTAssertNotNil(model.state.totalError)
        await model.send(.setTotal("1 500,00"))
        await model.send(.setReceiptContact("demo@example.com"))
        await model.send(.proceed)
        XCTAssertEqual(model.state.question, "Итоговая сумма верна? 1\u{a0}500,00\u{a0}₽")
        await model.send(.pay)
        XCTAssertEqual(model.state.step, .done(succeeded: true), model.state.error ?? "")
        XCTAssertEqual(model.state.status, "Оплата выполнена успешно")
        await model.send(.shareReceipt)
        XCTAssertEqual(model.state.receipt.map { String(decoding: $0.data.prefix(5), as: UTF8.self) }, "%PDF-")
    }

    func testAReadingOfAnExpiredMeterIsRefusedAndARolloverIsConfirmedThenSent() async throws {
        // R11, R12: demo's gas meter is past its verification; its hot-water meter is about to pass 99 999.
        let lk = try await signedIn()
        let number = "450001000001"
        let meters = MetersViewModel(number: number, readings: lk.readings, formatting: lk.formatting, navigate: Routes().navigate)
        await meters.send(.appear)
        let overview = try await lk.readings.meters(number: number).value
        let gas = overview.meters.first { $0.kind == .gas }!
        XCTAssertEqual(meters.state.rows.first { $0.id == gas.id }?.warning, "Срок поверки истёк: показания не принимаются")

        let gasEntry = ReadingViewModel(
            number: number, meterId: gas.id, readings: lk.readings, formatting: lk.formatting,
            navigate: Routes().navigate)
        await gasEntry.send(.appear)
        await gasEntry.send(.setValue(gasEntry.state.fields[0].id, "\(gas.start[0].value + 5)"))
        await gasEntry.send(.check)
        XCTAssertFalse(gasEntry.state.refusals.isEmpty, "an expired meter's reading is refused")
        XCTAssertEqual(gasEntry.state.step, .entry)

        let hot = overview.meters.first { $0.kind == .hotWater }!
        let hotEntry = ReadingViewModel(
            number: number, meterId: hot.id, readings: lk.readings, formatting: lk.formatting,
            navigate: Routes().navigate)
        await hotEntry.send(.appear)
        await hotEntry.send(.setValue(hotEntry.state.fields[0].id, "3"))
        await hotEntry.send(.check)
        XCTAssertEqual(hotEntry.state.step, .confirm, "a rollover is asked to confirm: \(hotEntry.state.refusals)")
        XCTAssertFalse(hotEntry.state.toConfirm.isEmpty)
        await hotEntry.send(.confirm)
        XCTAssertEqual(hotEntry.state.step, .done)
        XCTAssertEqual(hotEntry.state.message, "Спасибо, ваши показания приняты")
    }

    func testOfflineTheDocumentStaysWithItsAgeAndAReadingWaitsForTheNetwork() async throws {
        // A service of this test alone, stopped halfway.
        let own = try TestService.start()
        defer { own.stop() }
        let lk = try device(own.url)
        try await lk.session.signIn(login: "demo", password: "Demo-2026")
        let number = "450001000001"
        let charges = ChargesViewModel(number: number, charges: lk.charges, formatting: lk.formatting, navigate: Routes().navigate)
        await charges.send(.appear)
        XCTAssertNil(charges.state.notice)
        let lines = charges.state.lines
        let meters = try await lk.readings.meters(number: number).value
        _ = try await lk.accounts.refresh()
        own.stop()
        try await Task.sleep(nanoseconds: 1_200_000_000)
        let offline = ChargesViewModel(number: number, charges: lk.charges, formatting: lk.formatting, navigate: Routes().navigate)
        await offline.send(.appear)
        XCTAssertEqual(offline.state.lines, lines, "the stored document")
        XCTAssertEqual(offline.state.notice, "Нет связи. Данные обновлены только что")
        let accounts = AccountsViewModel(accounts: lk.accounts, formatting: lk.formatting, navigate: Routes().navigate)
        await accounts.send(.appear)
        // The stored list; its age is not shown: the core's Accounts.refresh answers the stored
        // list offline without its time (asked for in ios/README.md).
        XCTAssertEqual(accounts.state.rows.map(\.id), [number])

        let cold = meters.meters.first { $0.kind == .coldWater }!
        let entry = ReadingViewModel(
            number: number, meterId: cold.id, readings: lk.readings, formatting: lk.formatting,
            navigate: Routes().navigate)
        await entry.send(.appear)
        await entry.send(.setValue(entry.state.fields[0].id, "\(cold.start[0].value + 1)"))
        await entry.send(.check)
        XCTAssertEqual(
            entry.state.message, "Показания сохранены на телефоне и будут отправлены, когда появится связь",
            entry.state.error ?? "\(entry.state.refusals)")
    }

    func testAReaderSignsInToTheRoundsAndTheCoreJudgesEachCapture() async throws {
        // R24: a skip for a fault needs a photo; no access does not; the capture waits in the journal.
        let lk = try device()
        let routes = Routes()
        let signIn = SignInViewModel(session: lk.session, navigate: routes.navigate)
        await signIn.send(.setLogin("reader1"))
        await signIn.send(.setPassword("Reader1-2026"))
        await signIn.send(.signIn)
        XCTAssertEqual(routes.seen, [.rounds], signIn.state.error ?? "")
        let rounds = RoundsViewModel(rounds: lk.rounds, formatting: lk.formatting, navigate: routes.navigate)
        await rounds.send(.appear)
        let round = try XCTUnwrap(rounds.state.rounds.first, rounds.state.error ?? "no rounds").id
        await rounds.send(.open(round: round))
        let stop = try XCTUnwrap(rounds.state.stops.first { !$0.cancelled }, rounds.state.error ?? "no stops").id
        await rounds.send(.stop(stop))
        XCTAssertEqual(routes.seen.last, .stop(round: round, stop: stop))

        let capture = CaptureViewModel(round: round, stop: stop, rounds: lk.rounds, formatting: lk.formatting, position: { nil })
        await capture.send(.appear)
        XCTAssertFalse(capture.state.meters.isEmpty)
        await capture.send(.skip(.faulty, note: "Не крутится"))
        XCTAssertTrue(capture.state.photoNeeded, "\(capture.state.reasons)")
        XCTAssertFalse(capture.state.canSave)
        await capture.send(.skip(.noAccess, note: "Никого нет дома"))
        XCTAssertTrue(capture.state.canSave, "\(capture.state.reasons) \(capture.state.error ?? "")")
        await capture.send(.save)
        XCTAssertNotNil(capture.state.message, capture.state.error ?? "")
        await rounds.send(.refreshStatus)
        XCTAssertEqual(rounds.state.progress?.hasPrefix("Снято 0, пропущено 1"), true, rounds.state.progress ?? "")
    }
}
