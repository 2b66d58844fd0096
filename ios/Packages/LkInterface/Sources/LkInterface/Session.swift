import Foundation

/// Sign-in and sign-out, registration (R1–R3) and recovery (R5).
public protocol SessionService: Sendable {
    var isSignedIn: Bool { get }
    func signIn(login: String, password: String) async throws
    /// The signed-in login is a meter reader's (R24): the app opens the rounds, not accounts.
    func isMeterReader() async throws -> Bool
    /// How many of this person's actions are not sent yet, and the core's question about them.
    func unsentWarning() throws -> String?
    /// Signs out; `keepUnsent`: kept for this person's next sign-in, otherwise discarded.
    func signOut(keepUnsent: Bool) async throws

    func cities() async throws -> [RegionCities]
    func captcha() async throws -> Captcha
    func startRegistration(_ form: RegistrationForm, captcha: CaptchaAnswer) async throws -> Registration
    func bindAccount(registration: String, number: String, latestTotal: String) async throws -> Registration
    func confirmAccount(registration: String) async throws -> Registration
    func resendCode(registration: String) async throws -> Registration
    /// Where a registration stands (by e-mail: whether the link was followed).
    func registration(_ id: String) async throws -> Registration
    func registrationCode(registration: String, code: String) async throws -> Registration

    func startRecovery(channel: Channel, contact: String, captcha: CaptchaAnswer) async throws -> Recovery
    /// The logins of the contact, once the code is right.
    func recoveryCode(recovery: String, code: String) async throws -> [String]
    func recoveryPassword(recovery: String, login: String, password: String, repeat: String) async throws
}

public struct RegionCities: Equatable, Sendable {
    public let region: String
    public let cities: [String]
    public init(region: String, cities: [String]) {
        self.region = region
        self.cities = cities
    }
}

public struct Captcha: Equatable, Sendable {
    public let id: String
    public let png: Data
    public init(id: String, png: Data) {
        self.id = id
        self.png = png
    }
}

public struct CaptchaAnswer: Equatable, Sendable {
    public let id: String
    public let answer: String
    public init(id: String, answer: String) {
        self.id = id
        self.answer = answer
    }
}

public enum Channel: Equatable, Sendable { case phone, email }

/// The registration form's first step (R1, R2).
public struct RegistrationForm: Equatable, Sendable {
    public var login = ""
    public var password = ""
    public var channel = Channel.phone
    public var contact = ""
    public var city = ""
    public var consent = false
    public init() {}
}

public struct Registration: Equatable, Sendable {
    public enum Status: Equatable, Sendable { case awaitingAccount, awaitingAccountConfirmation, awaitingCode, completed }

    /// The account found by number and proof, shown for the person to confirm (R3).
    public struct AccountPreview: Equatable, Sendable {
        public let number: String
        public let address: String
        public let ownerMasked: String
        public init(number: String, address: String, ownerMasked: String) {
            self.number = number
            self.address = address
            self.ownerMasked = ownerMasked
        }
    }

    public let id: String
    public let status: Status
    public let login: String
    public let channel: Channel
    public let contactMasked: String
    public let account: AccountPreview?
    /// A new code can be asked for from then on.
    public let resendAfter: Date?

    public init(
        id: String, status: Status, login: String, channel: Channel, contactMasked: String,
        account: AccountPreview?, resendAfter: Date?
    ) {
        self.id = id
        self.status = status
        self.login = login
        self.channel = channel
        self.contactMasked = contactMasked
        self.account = account
        self.resendAfter = resendAfter
    }
}

public struct Recovery: Equatable, Sendable {
    public let id: String
    public let channel: Channel
    public let resendAfter: Date
    public init(id: String, channel: Channel, resendAfter: Date) {
        self.id = id
        self.channel = channel
        self.resendAfter = resendAfter
    }
}
