import Foundation

/// Payment documents and the split of a payment over services (R7, R8, R9).
public protocol ChargesService: Sendable {
    func documents(number: String) async throws -> Cached<[DocumentSummary]>
    func document(number: String, period: Period) async throws -> Cached<ChargesDocument>
    /// How `total` (as typed: `1 500,00`) splits over the services, some amounts fixed by the
    /// person; the core's allocation, instant and offline. A typo is `refused` under its field.
    func split(_ document: ChargesDocument, total: String, fixed: [FixedAmount]) throws -> Split
    /// An amount as typed (`1 234,56`, `1234.5`), read by the core's money parser; a typo is
    /// `refused` under `field`.
    func amount(_ typed: String, field: String) throws -> Decimal
    /// The document as PDF, made on the device (R8).
    func pdf(_ document: ChargesDocument) throws -> Data
}

public struct DocumentSummary: Equatable, Sendable, Identifiable {
    public var id: Period { period }
    public let period: Period
    public let issuedOn: Day
    public let dueDate: Day
    public let amountDue: Decimal
    public init(period: Period, issuedOn: Day, dueDate: Day, amountDue: Decimal) {
        self.period = period
        self.issuedOn = issuedOn
        self.dueDate = dueDate
        self.amountDue = amountDue
    }
}

/// The 8 columns of one service (R7), as the core computed them.
public struct ChargeLine: Equatable, Sendable, Identifiable {
    public var id: String { serviceCode }
    public let serviceCode: String
    public let serviceName: String
    public let unit: MeasureUnit
    public let tariff: Decimal
    public let debt: Decimal
    public let paid: Decimal
    public let volume: Decimal
    public let charged: Decimal
    public let recalculation: Decimal
    public let toPay: Decimal
    /// The payer may change the amount of this line when paying (R9).
    public let editable: Bool

    public init(
        serviceCode: String, serviceName: String, unit: MeasureUnit, tariff: Decimal, debt: Decimal,
        paid: Decimal, volume: Decimal, charged: Decimal, recalculation: Decimal, toPay: Decimal, editable: Bool
    ) {
        self.serviceCode = serviceCode
        self.serviceName = serviceName
        self.unit = unit
        self.tariff = tariff
        self.debt = debt
        self.paid = paid
        self.volume = volume
        self.charged = charged
        self.recalculation = recalculation
        self.toPay = toPay
        self.editable = editable
    }
}

/// What the implementation needs back to split or print a document (the core's own value).
public protocol DocumentSource: Sendable {}

public struct ChargesDocument: Sendable {
    public let accountNumber: String
    public let period: Period
    public let issuedOn: Day
    public let dueDate: Day
    public let lines: [ChargeLine]
    /// Column 8's total, and what is due (none when the total is a credit).
    public let toPay: Decimal
    public let amountDue: Decimal
    public let credit: Decimal
    /// The GOST R 56042-2014 payload for a banking app's scanner (R8).
    public let paymentQr: String?
    public let source: any DocumentSource

    public init(
        accountNumber: String, period: Period, issuedOn: Day, dueDate: Day, lines: [ChargeLine], toPay: Decimal,
        amountDue: Decimal, credit: Decimal, paymentQr: String?, source: any DocumentSource
    ) {
        self.accountNumber = accountNumber
        self.period = period
        self.issuedOn = issuedOn
        self.dueDate = dueDate
        self.lines = lines
        self.toPay = toPay
        self.amountDue = amountDue
        self.credit = credit
        self.paymentQr = paymentQr
        self.source = source
    }
}

public struct FixedAmount: Equatable, Sendable {
    public let serviceCode: String
    public let amount: Decimal
    public init(serviceCode: String, amount: Decimal) {
        self.serviceCode = serviceCode
        self.amount = amount
    }
}

/// A payment's total split over the document's services, kopeck-exact (R9).
public struct Split: Equatable, Sendable {
    public struct Part: Equatable, Sendable {
        public let serviceCode: String
        public let amount: Decimal
        /// Typed by the person rather than computed.
        public let fixed: Bool
        public init(serviceCode: String, amount: Decimal, fixed: Bool) {
            self.serviceCode = serviceCode
            self.amount = amount
            self.fixed = fixed
        }
    }

    public let total: Decimal
    public let parts: [Part]
    public init(total: Decimal, parts: [Part]) {
        self.total = total
        self.parts = parts
    }
}
