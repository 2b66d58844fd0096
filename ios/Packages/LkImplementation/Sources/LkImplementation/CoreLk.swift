import Foundation
import LkBindings
import LkInterface

/// The refresh token's keeper on the platform (the Keychain in the app, memory in tests).
public protocol TokenStore: AnyObject, Sendable {
    func get(key: String) throws -> String?
    func set(key: String, value: String) throws
    func delete(key: String) throws
}

/// A token store that forgets at exit: for the tests, and a device that must not keep a session.
public final class InMemoryTokenStore: TokenStore, @unchecked Sendable {
    private var values: [String: String] = [:]
    private let lock = NSLock()
    public init() {}
    public func get(key: String) throws -> String? { lock.withLock { values[key] } }
    public func set(key: String, value: String) throws { lock.withLock { values[key] = value } }
    public func delete(key: String) throws { lock.withLock { _ = values.removeValue(forKey: key) } }
    public var isEmpty: Bool { lock.withLock { values.isEmpty } }
}

/// The LK on this device over the core: open once at app start, keep for the app's life.
public final class CoreLk: Lk, @unchecked Sendable {
    public let session: SessionService
    public let accounts: AccountsService
    public let charges: ChargesService
    public let payments: PaymentsService
    public let readings: ReadingsService
    public let rounds: RoundsService
    public let formatting: RussianFormatting = CoreFormatting()
    let client: LkClient

    /// `baseURL` the LK service; `dataDirectory` the app's private folder for the offline store.
    public init(baseURL: String, dataDirectory: URL, tokens: TokenStore, timeoutSeconds: UInt32 = 30) throws {
        try core { try LkBindings.`init`(logger: nil) }
        client = try core {
            try LkClient.open(
                config: ClientConfig(baseUrl: baseURL, dataDir: dataDirectory.path, timeoutSeconds: timeoutSeconds),
                secureStore: KeychainBridge(tokens))
        }
        session = CoreSession(client)
        accounts = CoreAccounts(client.accounts())
        charges = CoreCharges(client.charges())
        payments = CorePayments(client.payments())
        readings = CoreReadings(client)
        rounds = CoreRounds(client.rounds())
    }

    /// Keeps the outbox flowing while the app runs (readings made offline go when the network is back).
    public func startSync() throws { try core { try client.startSync() } }
    public func stopSync() { client.stopSync() }
    /// The platform's connectivity callback, and a background task's work (BGTaskScheduler).
    public func networkAvailable() throws { try core { try client.networkAvailable() } }
    /// R22: the APNs device token, after sign-in and whenever it changes.
    public func registerPushToken(_ token: String) async throws {
        try await core { try await client.settings().registerDevice(platform: .apns, token: token) }
    }
}

/// The platform's token store as the core's `SecureStore`.
final class KeychainBridge: SecureStore, @unchecked Sendable {
    let tokens: TokenStore
    init(_ tokens: TokenStore) { self.tokens = tokens }

    func get(key: String) throws -> String? { try wrap { try tokens.get(key: key) } }
    func set(key: String, value: String) throws { try wrap { try tokens.set(key: key, value: value) } }
    func delete(key: String) throws { try wrap { try tokens.delete(key: key) } }

    private func wrap<T>(_ work: () throws -> T) throws -> T {
        do { return try work() } catch { throw PlatformError.Failed(reason: "\(error)") }
    }
}

final class CoreSession: SessionService, @unchecked Sendable {
    let client: LkClient
    let session: LkBindings.Session
    init(_ client: LkClient) {
        self.client = client
        session = client.session()
    }

    var isSignedIn: Bool { session.isSignedIn() }
    func signIn(login: String, password: String) async throws {
        try await core { try await session.signIn(login: login, password: password) }
    }
    func isMeterReader() async throws -> Bool {
        try await core { try await client.settings().profile() }.value.role == .reader
    }
    func unsentWarning() throws -> String? {
        try core { signOutWarning(unsent: try session.unsent()) }
    }
    func signOut(keepUnsent: Bool) async throws {
        _ = try await core { try await session.signOut(unsent: keepUnsent ? .keepForNextSignIn : .discard) }
    }
    func cities() async throws -> [LkInterface.RegionCities] {
        try await core { try await session.cities() }.map { LkInterface.RegionCities(region: $0.name, cities: $0.cities) }
    }
    func captcha() async throws -> Captcha {
        let challenge = try await core { try await session.captcha() }
        return Captcha(id: challenge.id, png: Data(base64Encoded: challenge.pngBase64) ?? Data())
    }
    func startRegistration(_ form: RegistrationForm, captcha: LkInterface.CaptchaAnswer) async throws -> Registration {
        let request = RegistrationRequest(
            details: RegistrationDetails(
                login: form.login, password: form.password, channel: form.channel.core,
                contact: form.contact, city: form.city),
            captcha: LkBindings.CaptchaAnswer(id: captcha.id, answer: captcha.answer),
            consent: Consent(given: form.consent, textVersion: CoreSession.consentVersion))
        return Registration(try await core { try await session.startRegistration(request: request) })
    }
    /// The version of the consent text the app shows (R1).
    static let consentVersion = "2026-01"
    func bindAccount(registration: String, number: String, latestTotal: String) async throws -> Registration {
        let request = BindAccountRequest(accountNumber: number, latestDocumentTotal: latestTotal)
        return Registration(try await core { try await session.bindAccount(id: registration, request: request) })
    }
    func confirmAccount(registration: String) async throws -> Registration {
        Registration(try await core { try await session.confirmAccount(id: registration) })
    }
    func resendCode(registration: String) async throws -> Registration {
        Registration(try await core { try await session.resendCode(id: registration) })
    }
    func registration(_ id: String) async throws -> Registration {
        Registration(try await core { try await session.registration(id: id) })
    }
    func registrationCode(registration: String, code: String) async throws -> Registration {
        Registration(try await core { try await session.registrationCode(id: registration, code: code) })
    }
    func startRecovery(channel: LkInterface.Channel, contact: String, captcha: LkInterface.CaptchaAnswer) async throws -> Recovery {
        let request = RecoveryRequest(
            channel: channel.core, contact: contact,
            captcha: LkBindings.CaptchaAnswer(id: captcha.id, answer: captcha.answer))
        let started = try await core { try await session.startRecovery(request: request) }
        return Recovery(id: started.id, channel: Channel(started.channel), resendAfter: started.resendAfter)
    }
    func recoveryCode(recovery: String, code: String) async throws -> [String] {
        try await core { try await session.recoveryCode(id: recovery, code: code) }.logins
    }
    func recoveryPassword(recovery: String, login: String, password: String, repeat: String) async throws {
        let request = NewPasswordRequest(login: login, password: password, passwordRepeat: `repeat`)
        try await core { try await session.recoveryPassword(id: recovery, request: request) }
    }
}

final class CoreAccounts: AccountsService, @unchecked Sendable {
    let accounts: LkBindings.Accounts
    init(_ accounts: LkBindings.Accounts) { self.accounts = accounts }

    func stored() -> StoredAccounts {
        // The core's `Accounts.cached()` has no time yet (asked for: ios/README.md).
        StoredAccounts(accounts.cached().map(LkInterface.AccountSummary.init), refreshedAt: nil)
    }
    func refresh() async throws -> [LkInterface.AccountSummary] {
        try await core { try await accounts.refresh() }.map(LkInterface.AccountSummary.init)
    }
    func details(number: String) async throws -> Cached<LkInterface.AccountDetails> {
        let cached = try await core { try await accounts.details(number: number) }
        let details = cached.value
        let units = Dictionary(details.services.map { ($0.service.code, $0.service.unit) }, uniquingKeysWith: { a, _ in a })
        let summary = LkInterface.AccountSummary(
            number: details.account.number, owner: details.account.owner.spoken,
            address: details.account.address, own: details.own, debt: details.balance.debt,
            latestPeriod: details.balance.documentPeriod.map(LkInterface.Period.init))
        let services = details.services.map { service in
            LkInterface.AccountDetails.Service(
                name: service.service.name,
                tariffs: service.tariffs.map {
                    .init(
                        zone: Zone($0.zone), price: $0.price, unit: LkInterface.MeasureUnit(units[$0.serviceCode] ?? service.service.unit))
                })
        }
        let suppliers = details.suppliers.map {
            LkInterface.AccountDetails.Supplier(
                name: $0.name, inn: $0.inn, bank: $0.bankName, bic: $0.bic,
                account: $0.settlementAccount)
        }
        return Cached(.init(summary: summary, services: services, suppliers: suppliers), refreshedAt: cached.refreshedAt)
    }
}
