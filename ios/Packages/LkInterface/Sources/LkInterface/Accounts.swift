import Foundation

/// The profile's accounts and their details (R6, R19).
public protocol AccountsService: Sendable {
    /// What the device has, at once (a cold start, offline); empty when nothing is stored.
    func stored() -> StoredAccounts
    func refresh() async throws -> [AccountSummary]
    func details(number: String) async throws -> Cached<AccountDetails>
}

public struct AccountSummary: Equatable, Sendable, Identifiable {
    public var id: String { number }
    public let number: String
    public let owner: String
    public let address: String
    /// The profile's own account rather than one linked to it (R19).
    public let own: Bool
    /// What is owed now: the latest document's total less card payments since (R6).
    public let debt: Decimal
    public let latestPeriod: Period?

    public init(number: String, owner: String, address: String, own: Bool, debt: Decimal, latestPeriod: Period?) {
        self.number = number
        self.owner = owner
        self.address = address
        self.own = own
        self.debt = debt
        self.latestPeriod = latestPeriod
    }
}

public struct AccountDetails: Equatable, Sendable {
    public struct Service: Equatable, Sendable {
        public let name: String
        public let tariffs: [Tariff]
        public init(name: String, tariffs: [Tariff]) {
            self.name = name
            self.tariffs = tariffs
        }
    }

    public struct Tariff: Equatable, Sendable {
        public let zone: Zone
        public let price: Decimal
        public let unit: MeasureUnit
        public init(zone: Zone, price: Decimal, unit: MeasureUnit) {
            self.zone = zone
            self.price = price
            self.unit = unit
        }
    }

    /// A supplier's bank details (R6).
    public struct Supplier: Equatable, Sendable {
        public let name: String
        public let inn: String
        public let bank: String
        public let bic: String
        public let account: String
        public init(name: String, inn: String, bank: String, bic: String, account: String) {
            self.name = name
            self.inn = inn
            self.bank = bank
            self.bic = bic
            self.account = account
        }
    }

    public let summary: AccountSummary
    public let services: [Service]
    public let suppliers: [Supplier]

    public init(summary: AccountSummary, services: [Service], suppliers: [Supplier]) {
        self.summary = summary
        self.services = services
        self.suppliers = suppliers
    }
}

/// The accounts kept on the device, and when they came from the server if the core says.
public struct StoredAccounts: Equatable, Sendable {
    public let accounts: [AccountSummary]
    public let refreshedAt: Date?
    public init(_ accounts: [AccountSummary], refreshedAt: Date?) {
        self.accounts = accounts
        self.refreshedAt = refreshedAt
    }
}
