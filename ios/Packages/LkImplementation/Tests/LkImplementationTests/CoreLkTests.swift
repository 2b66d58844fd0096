import Foundation
import LkImplementation
import LkInterface
import LkTestSupport
import XCTest

func device(_ url: String, tokens: InMemoryTokenStore = InMemoryTokenStore()) throws -> CoreLk {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lk-ios-\(UUID().uuidString)")
    return try CoreLk(baseURL: url, dataDirectory: folder, tokens: tokens, timeoutSeconds: 5)
}

/// LkInterface as LkImplementation answers it over the real core and the real service.
final class CoreLkTests: XCTestCase {
    static var service: TestService!
    override class func setUp() {
        super.setUp()
        service = try! TestService.start()
    }
    override class func tearDown() {
        service.stop()
        super.tearDown()
    }

    func testSignInKeepsTheTokenAndAWrongPasswordIsARefusalInRussian() async throws {
        let tokens = InMemoryTokenStore()
        let lk = try device(Self.service.url, tokens: tokens)
        do {
            try await lk.session.signIn(login: "demo", password: "Wrong-2026")
            XCTFail("a wrong password is refused")
        } catch let failure as LkFailure {
            XCTAssertEqual(failure, LkFailure(kind: .refused, code: "invalidCredentials", text: "Неверный логин или пароль"))
        }
        try await lk.session.signIn(login: "demo", password: "Demo-2026")
        XCTAssertTrue(lk.session.isSignedIn)
        XCTAssertFalse(tokens.isEmpty)
        let accounts = try await lk.accounts.refresh()
        XCTAssertEqual(accounts.map(\.number), ["450001000001"])
        XCTAssertEqual(lk.accounts.stored().accounts, accounts, "kept on the device")
    }

    func testNoServiceIsOfflineWithTheCoresText() async throws {
        let lk = try device("http://127.0.0.1:9")
        do {
            try await lk.session.signIn(login: "demo", password: "Demo-2026")
            XCTFail("nothing listens there")
        } catch let failure as LkFailure {
            XCTAssertEqual(failure.kind, .offline)
            XCTAssertEqual(failure.text, "Нет связи с сервером. Проверьте интернет")
        }
    }

    func testTheDocumentsLinesAddUpAndTheSplitIsTheCoresToTheKopeck() async throws {
        // R7, R9
        let lk = try device(Self.service.url)
        try await lk.session.signIn(login: "demo", password: "Demo-2026")
        let latest = try await lk.charges.documents(number: "450001000001").value.max { $0.period < $1.period }!
        let document = try await lk.charges.document(number: "450001000001", period: latest.period).value
        for line in document.lines {
            XCTAssertEqual(line.debt - line.paid + line.charged + line.recalculation, line.toPay, line.serviceName)
        }
        XCTAssertEqual(document.lines.reduce(0) { $0 + $1.toPay }, document.toPay)
        let split = try lk.charges.split(document, total: "1 500,00", fixed: [])
        XCTAssertEqual(split.parts.reduce(0) { $0 + $1.amount }, 1500)
        XCTAssertEqual(try lk.charges.amount("1 234,5", field: "total"), Decimal(string: "1234.5"))
        XCTAssertThrowsError(try lk.charges.amount("12,345", field: "electricity")) { error in
            XCTAssertEqual((error as? LkFailure)?.field, "electricity", "more than kopecks is refused under its field")
        }
        XCTAssertThrowsError(try lk.charges.split(document, total: "сто", fixed: [])) { error in
            XCTAssertEqual((error as? LkFailure)?.field, "total")
        }
        let pdf = try lk.charges.pdf(document)
        XCTAssertEqual(String(decoding: pdf.prefix(5), as: UTF8.self), "%PDF-")
    }

    func testMetersCarryTheirZonesAndAReadingIsCheckedAndQueued() async throws {
        // R10–R12
        let lk = try device(Self.service.url)
        try await lk.session.signIn(login: "demo", password: "Demo-2026")
        let overview = try await lk.readings.meters(number: "450001000001").value
        XCTAssertTrue(overview.windowOpen)
        let twoZone = overview.meters.first { $0.kind == .electricityTwoZone }!
        XCTAssertEqual(twoZone.zones, [.day, .night])
        let cold = overview.meters.first { $0.kind == .coldWater }!
        let typed = cold.start.map { ZoneText(zone: $0.zone, text: "\($0.value + 2)") }
        let check = try await lk.readings.check(number: "450001000001", meterId: cold.id, values: typed)
        XCTAssertEqual(check.refusals, [])
        XCTAssertEqual(check.consumption.map(\.value), [2])
        let item = try await lk.readings.submit(
            number: "450001000001", meterId: cold.id, values: typed,
            confirmed: check.toConfirm, photoPath: nil, recognised: false)
        XCTAssertEqual(item.state, .queued)
        let sent = try await lk.readings.syncNow()
        XCTAssertEqual(sent, 1)
        XCTAssertEqual(lk.readings.outbox().first { $0.id == item.id }?.state, .sent)
    }

    func testTheCoresRussianFormatsMoneyDatesAndCounts() {
        let russian = CoreFormatting()
        XCTAssertEqual(russian.money(Decimal(string: "1234.56")!), "1\u{a0}234,56\u{a0}₽")
        XCTAssertEqual(russian.date(Day("2026-11-21")), "21.11.2026")
        XCTAssertEqual(russian.count(3, Noun("показание", "показания", "показаний")), "3 показания")
        XCTAssertEqual(russian.quantity(Decimal(string: "1.5")!, .cubicMetre), "1,5\u{a0}м³")
        XCTAssertEqual(russian.period(Period("2026-10")), "октябрь 2026")
    }
}

final class CoreFailuresTests: XCTestCase {
    func testEveryErrorCodeOfTheCoreComesWithARussianText() {
        let failures = CoreFailures.all
        XCTAssertGreaterThan(failures.count, 10)
        XCTAssertEqual(failures.last?.code, "unknown")
        XCTAssertEqual(Set(failures.map(\.code)).count, failures.count, "each code once")
        for failure in failures {
            XCTAssertTrue(failure.text.isRussian, "\(failure.code): «\(failure.text)»")
        }
        XCTAssertEqual(failures.first { $0.code == "offline" }?.kind, .offline)
        XCTAssertEqual(failures.first { $0.code == "sessionExpired" }?.kind, .signInAgain)
    }
}

extension String {
    /// Words in Cyrillic, not a code or an English message.
    var isRussian: Bool { unicodeScalars.contains { (0x410...0x44F).contains($0.value) } && !contains("_") }
}
