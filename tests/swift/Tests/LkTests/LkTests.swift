// The Swift bindings against the real core and the real LK service (as the iOS app uses them).
// On Linux: scripts/test-swift; on a Mac: see ios/README.md.
import Foundation
import LkBindings
import LkTestSupport
import XCTest

/// The refresh token as the Keychain would keep it (in memory here).
final class MemorySecureStore: SecureStore, @unchecked Sendable {
    private var values: [String: String] = [:]
    private let lock = NSLock()

    func get(key: String) throws -> String? { lock.withLock { values[key] } }
    func set(key: String, value: String) throws { lock.withLock { values[key] = value } }
    func delete(key: String) throws { lock.withLock { _ = values.removeValue(forKey: key) } }
    var isEmpty: Bool { lock.withLock { values.isEmpty } }
}

final class Recorder<T>: @unchecked Sendable {
    private var items: [T] = []
    private let lock = NSLock()
    func add(_ item: T) { lock.withLock { items.append(item) } }
    var all: [T] { lock.withLock { items } }
}

final class SignedIn: SignedInListener, @unchecked Sendable {
    let seen = Recorder<Bool>()
    func onChange(signedIn: Bool) { seen.add(signedIn) }
}

final class LkTests: XCTestCase {
    static var service: TestService!

    override class func setUp() {
        super.setUp()
        try! `init`(logger: nil)
        service = try! TestService.start()
    }

    override class func tearDown() {
        service.stop()
        super.tearDown()
    }

    func device(_ store: MemorySecureStore = MemorySecureStore()) throws -> LkClient {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        return try LkClient.open(
            config: ClientConfig(baseUrl: Self.service.url, dataDir: dir.path, timeoutSeconds: 5),
            secureStore: store)
    }

    func testSignInKeepsTheTokenInTheKeystoreAndAWrongPasswordHasItsCode() async throws {
        let store = MemorySecureStore()
        let lk = try device(store)
        do {
            try await lk.session().signIn(login: "demo", password: "Wrong-2026")
            XCTFail("a wrong password is refused")
        } catch LkError.Failed(let code, let text, _) {
            XCTAssertEqual(code, .invalidCredentials)
            XCTAssertEqual(text, "Неверный логин или пароль")
        }
        try await lk.session().signIn(login: "demo", password: "Demo-2026")
        XCTAssertTrue(lk.session().isSignedIn())
        XCTAssertFalse(store.isEmpty)
        let accounts = try await lk.accounts().refresh()
        XCTAssertEqual(accounts.map(\.number), ["450001000001"])
    }

    func testTheEightColumnsAddUpInDecimal() async throws {
        let lk = try device()
        try await lk.session().signIn(login: "demo", password: "Demo-2026")
        let period = try await lk.charges().documents(number: "450001000001").value[0].period
        let view = try await lk.charges().document(number: "450001000001", period: period).value
        for line in view.document.lines {
            let b = line.basis
            XCTAssertEqual(b.debt - b.paid + line.charged + b.recalculation, line.toPay, b.serviceName)
        }
        let total = view.document.lines.reduce(Decimal(0)) { $0 + $1.toPay }
        XCTAssertEqual(total, view.document.totals.toPay)
        let split = try lk.charges().allocationPreview(view: view, total: "1 500,00", fixed: [])
        XCTAssertEqual(split.parts.reduce(Decimal(0)) { $0 + $1.amount }, Decimal(1500))
    }

    func testReadingsAreCheckedAndSentThroughTheOutbox() async throws {
        let lk = try device()
        try await lk.session().signIn(login: "demo", password: "Demo-2026")
        let meters = try await lk.readings().meters(number: "450001000001").value
        XCTAssertTrue(meters.windowOpen)
        let cold = meters.meters.first { $0.meter.kind == .coldWater }!
        let typed = cold.start!.values.map { ZoneInput(zone: $0.zone, text: "\($0.value + Decimal(2))") }
        let check = try await lk.readings().check(number: "450001000001", meterId: cold.meter.id, values: typed)
        XCTAssertFalse(check.isRefused())
        let confirm = check.toConfirm()
        _ = try await lk.readings().submit(
            number: "450001000001", meterId: cold.meter.id, values: typed,
            confirmed: confirm, photoPath: nil, recognised: false)
        let sync = try await lk.syncNow()
        XCTAssertEqual(sync.sent, 1)
    }

    func testAListenerHearsTheCurrentValueFirstThenChanges() async throws {
        let lk = try device()
        let listener = SignedIn()
        let subscription = lk.session().observe(listener: listener)
        try await lk.session().signIn(login: "demo", password: "Demo-2026")
        _ = try await lk.session().signOut(unsent: .keepForNextSignIn)
        try await Task.sleep(nanoseconds: 200_000_000)
        XCTAssertEqual(listener.seen.all, [false, true, false])
        subscription.cancel()
    }
}
