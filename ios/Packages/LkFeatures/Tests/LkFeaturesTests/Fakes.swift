import Foundation
import LkFeaturesTesting
import LkInterface

@testable import LkFeatures

/// Fakes of LkInterface: each answers what its test sets and records what it was asked.

let offline = LkFailure(kind: .offline, code: "offline", text: "Нет связи с сервером. Проверьте интернет")

final class FakeSession: SessionService, @unchecked Sendable {
    var isSignedIn = false
    var signInResult: Result<Void, LkFailure> = .success(())
    var signIns: [(String, String)] = []
    var steps: [String: Result<Registration, LkFailure>] = [:]
    var asked: [String] = []
    var captchas = 0

    func signIn(login: String, password: String) async throws {
        signIns.append((login, password))
        try signInResult.get()
        isSignedIn = true
    }
    var reader = false
    func isMeterReader() async throws -> Bool { reader }
    var warning: String?
    var signedOutKeeping: [Bool] = []
    func unsentWarning() throws -> String? { warning }
    func signOut(keepUnsent: Bool) async throws {
        signedOutKeeping.append(keepUnsent)
        isSignedIn = false
    }
    func cities() async throws -> [RegionCities] { [RegionCities(region: "Курганская область", cities: ["Курган", "Шадринск"])] }
    func captcha() async throws -> Captcha {
        captchas += 1
        return Captcha(id: "c\(captchas)", png: Data([0x89, 0x50]))
    }
    private func step(_ name: String) throws -> Registration {
        asked.append(name)
        guard let result = steps[name] else { throw LkFailure(kind: .refused, code: "internal", text: "не задано: \(name)") }
        return try result.get()
    }
    func startRegistration(_ form: RegistrationForm, captcha: CaptchaAnswer) async throws -> Registration { try step("start") }
    func bindAccount(registration: String, number: String, latestTotal: String) async throws -> Registration { try step("bind") }
    func confirmAccount(registration: String) async throws -> Registration { try step("confirm") }
    func resendCode(registration: String) async throws -> Registration { try step("resend") }
    func registration(_ id: String) async throws -> Registration { try step("state") }
    func registrationCode(registration: String, code: String) async throws -> Registration { try step("code") }
    func startRecovery(channel: Channel, contact: String, captcha: CaptchaAnswer) async throws -> Recovery {
        throw LkFailure(kind: .refused, code: "internal", text: "не задано")
    }
    func recoveryCode(recovery: String, code: String) async throws -> [String] { [] }
    func recoveryPassword(recovery: String, login: String, password: String, repeat: String) async throws {}
}

final class FakeAccounts: AccountsService, @unchecked Sendable {
    var kept = StoredAccounts([], refreshedAt: nil)
    var refreshResult: Result<[AccountSummary], LkFailure> = .success([])
    func stored() -> StoredAccounts { kept }
    func refresh() async throws -> [AccountSummary] { try refreshResult.get() }
    var detailsResult: Result<Cached<AccountDetails>, LkFailure> = .failure(offline)
    func details(number: String) async throws -> Cached<AccountDetails> { try detailsResult.get() }
}

struct FakeSource: DocumentSource {}

final class FakeCharges: ChargesService, @unchecked Sendable {
    var documentsResult: Result<Cached<[DocumentSummary]>, LkFailure> = .failure(offline)
    var documentResult: Result<Cached<ChargesDocument>, LkFailure> = .failure(offline)
    /// The split for a typed total; what is not here is refused as the core would.
    var splits: [String: Split] = [:]
    var splitCalls: [(String, [FixedAmount])] = []
    func documents(number: String) async throws -> Cached<[DocumentSummary]> { try documentsResult.get() }
    func document(number: String, period: Period) async throws -> Cached<ChargesDocument> { try documentResult.get() }
    func split(_ document: ChargesDocument, total: String, fixed: [FixedAmount]) throws -> Split {
        splitCalls.append((total, fixed))
        guard let split = splits[total] else {
            throw LkFailure(kind: .refused, code: "invalidInput", text: "Сумма указана неверно", field: "total")
        }
        return split
    }
    func amount(_ typed: String, field: String) throws -> Decimal {
        guard let value = Decimal(string: typed) else {
            throw LkFailure(kind: .refused, code: "invalidInput", text: "Сумма указана неверно", field: "total")
        }
        return value
    }
    func pdf(_ document: ChargesDocument) throws -> Data { Data("%PDF-".utf8) }
}

final class FakePayments: PaymentsService, @unchecked Sendable {
    var started: [(String, [FixedAmount], String)] = []
    var final = PaymentState.Status.succeeded
    func state(_ status: PaymentState.Status, _ text: String) -> PaymentState {
        PaymentState(
            id: "p1", status: status, statusText: text, total: 1500, page: URL(string: "http://127.0.0.1/page"),
            hasReceipt: status == .succeeded, source: FakeSource())
    }
    func start(
        document: ChargesDocument, total: String, fixed: [FixedAmount], receiptContact: String,
        returnURL: String
    ) async throws -> PaymentState {
        started.append((total, fixed, receiptContact))
        return state(.pending, "Ожидает оплаты")
    }
    func awaitResult(id: String) async throws -> PaymentState {
        final == .succeeded ? state(.succeeded, "Оплата выполнена успешно") : state(final, "Оплата отклонена банком")
    }
    func resolvePending() async throws -> [PaymentState] { [] }
    func receiptPDF(_ payment: PaymentState) throws -> Data { Data("%PDF-".utf8) }
}

final class FakeBrowser: PaymentBrowser, @unchecked Sendable {
    var opened: [URL] = []
    func open(_ page: URL, returningTo returnURL: String) async throws { opened.append(page) }
}

final class FakeReadings: ReadingsService, @unchecked Sendable {
    var overview: Result<Cached<MetersOverview>, LkFailure> = .failure(offline)
    var checks: [String: ReadingCheck] = [:]
    var submitted: [([ZoneText], [ReadingCheck.Finding], String?, Bool)] = []
    var online = true
    var items: [OutboxItem] = []
    var proposals: [Proposal] = []

    func meters(number: String) async throws -> Cached<MetersOverview> { try overview.get() }
    func check(number: String, meterId: String, values: [ZoneText]) async throws -> ReadingCheck {
        checks[values.map(\.text).joined(separator: ";")]
            ?? ReadingCheck(consumption: [], refusals: [], toConfirm: [], notes: [], period: nil)
    }
    func submit(
        number: String, meterId: String, values: [ZoneText], confirmed: [ReadingCheck.Finding],
        photoPath: String?, recognised: Bool
    ) async throws -> OutboxItem {
        submitted.append((values, confirmed, photoPath, recognised))
        let item = OutboxItem(
            id: Int64(items.count + 1), title: "Показания", createdAt: Date(), state: .queued, refusal: nil,
            hasPhoto: photoPath != nil)
        items.append(item)
        return item
    }
    func recognise(number: String, meterId: String, zone: Zone, texts: [RecognisedText]) throws -> [Proposal] { proposals }
    func confirmRefused(item: Int64, confirmed: [ReadingCheck.Finding]) throws {}
    /// What the service says of the next items it is sent; none: it takes them.
    var refusals: [String] = []
    /// What was done to a refused item: `retry 1`, `without photo 1`, `correct 1 19700;10200`, `dismiss 1`.
    var done: [String] = []
    private func requeue(_ id: Int64, photo: Bool? = nil) {
        items = items.map {
            $0.id == id
                ? OutboxItem(
                    id: $0.id, title: $0.title, createdAt: $0.createdAt, state: .queued, refusal: nil,
                    hasPhoto: photo ?? $0.hasPhoto) : $0
        }
    }
    func retry(item: Int64) throws {
        done.append("retry \(item)")
        requeue(item)
    }
    func retryWithoutPhoto(item: Int64) throws {
        done.append("without photo \(item)")
        requeue(item, photo: false)
    }
    func correct(item: Int64, values: [ZoneText], confirmed: [ReadingCheck.Finding]) throws {
        done.append("correct \(item) " + values.map(\.text).joined(separator: ";"))
        requeue(item)
    }
    func dismiss(item: Int64) throws {
        done.append("dismiss \(item)")
        items.removeAll { $0.id == item }
    }
    func outbox() -> [OutboxItem] { items }
    func syncNow() async throws -> Int {
        guard online else { throw offline }
        items = items.map {
            guard $0.state == .queued else { return $0 }
            let refusal = refusals.isEmpty ? nil : refusals.removeFirst()
            return OutboxItem(
                id: $0.id, title: $0.title, createdAt: $0.createdAt, state: refusal == nil ? .sent : .needsAction,
                refusal: refusal, hasPhoto: $0.hasPhoto)
        }
        return items.count
    }
}
