import Foundation

/// Card payments through the acquirer's page (R9, R23): the status is always the core's.
public protocol PaymentsService: Sendable {
    /// Registers the payment; open `page` in the browser, then `awaitResult`.
    func start(
        document: ChargesDocument, total: String, fixed: [FixedAmount], receiptContact: String,
        returnURL: String
    ) async throws -> PaymentState
    /// Asks the service until the payment is final; stops when the task is cancelled.
    func awaitResult(id: String) async throws -> PaymentState
    /// At app start: payments left on the acquirer's page when the app died, resolved.
    func resolvePending() async throws -> [PaymentState]
    /// The fiscal receipt's copy as PDF, once paid (R13).
    func receiptPDF(_ payment: PaymentState) throws -> Data
}

public struct PaymentState: Sendable {
    public enum Status: Equatable, Sendable { case created, pending, succeeded, declined, canceled }

    public let id: String
    public let status: Status
    /// The status in the core's words (`Оплата выполнена успешно`).
    public let statusText: String
    public let total: Decimal
    /// The acquirer's page, while the payment waits for the card.
    public let page: URL?
    public let hasReceipt: Bool
    public let source: any DocumentSource

    public init(
        id: String, status: Status, statusText: String, total: Decimal, page: URL?, hasReceipt: Bool,
        source: any DocumentSource
    ) {
        self.id = id
        self.status = status
        self.statusText = statusText
        self.total = total
        self.page = page
        self.hasReceipt = hasReceipt
        self.source = source
    }
}
