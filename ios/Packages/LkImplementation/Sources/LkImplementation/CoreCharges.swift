import Foundation
import LkBindings
import LkInterface

/// The core's document, kept inside LkInterface's to split and print it.
struct CoreDocument: DocumentSource {
    let view: DocumentView
}

final class CoreCharges: ChargesService, @unchecked Sendable {
    let charges: LkBindings.Charges
    init(_ charges: LkBindings.Charges) { self.charges = charges }

    func documents(number: String) async throws -> Cached<[LkInterface.DocumentSummary]> {
        let cached = try await core { try await charges.documents(number: number) }
        return Cached(
            cached.value.map {
                LkInterface.DocumentSummary(
                    period: LkInterface.Period($0.period), issuedOn: Day($0.issuedOn), dueDate: Day($0.dueDate),
                    amountDue: $0.amountDue)
            }, refreshedAt: cached.refreshedAt)
    }

    func document(number: String, period: LkInterface.Period) async throws -> Cached<ChargesDocument> {
        let cached = try await core { try await charges.document(number: number, period: period.code) }
        return Cached(ChargesDocument(cached.value), refreshedAt: cached.refreshedAt)
    }

    func split(_ document: ChargesDocument, total: String, fixed: [LkInterface.FixedAmount]) throws -> Split {
        let allocation = try core {
            try charges.allocationPreview(
                view: try document.core, total: total,
                fixed: fixed.map { LkBindings.FixedAmount(serviceCode: $0.serviceCode, amount: $0.amount) })
        }
        return Split(
            total: allocation.total,
            parts: allocation.parts.map { .init(serviceCode: $0.serviceCode, amount: $0.amount, fixed: $0.fixed) })
    }

    func amount(_ typed: String, field: String) throws -> Decimal {
        try core { try moneyParse(text: typed, field: field) }
    }

    func pdf(_ document: ChargesDocument) throws -> Data {
        let view = try document.core
        return try core { try charges.documentPdf(view: view) }
    }
}

extension ChargesDocument {
    init(_ view: DocumentView) {
        let document = view.document
        let editable = Set(view.editableServices)
        self.init(
            accountNumber: document.head.account.number, period: LkInterface.Period(document.head.period),
            issuedOn: Day(document.head.issuedOn), dueDate: Day(document.head.dueDate),
            lines: document.lines.map { line in
                let basis = line.basis
                return LkInterface.ChargeLine(
                    serviceCode: basis.serviceCode, serviceName: basis.serviceName,
                    unit: LkInterface.MeasureUnit(basis.unit), tariff: basis.tariff, debt: basis.debt,
                    paid: basis.paid, volume: basis.volume, charged: line.charged,
                    recalculation: basis.recalculation, toPay: line.toPay,
                    editable: editable.contains(basis.serviceCode))
            },
            toPay: document.totals.toPay, amountDue: document.totals.amountDue, credit: document.totals.credit,
            paymentQr: view.paymentQr, source: CoreDocument(view: view))
    }

    var core: DocumentView {
        get throws {
            guard let source = source as? CoreDocument else {
                throw LkFailure(kind: .refused, code: "internal", text: "Документ не из личного кабинета")
            }
            return source.view
        }
    }
}

struct CorePayment: DocumentSource {
    let payment: Payment
}

final class CorePayments: PaymentsService, @unchecked Sendable {
    let payments: LkBindings.Payments
    /// How often the service is asked while a payment is open.
    let every: UInt32 = 1000
    init(_ payments: LkBindings.Payments) { self.payments = payments }

    func start(
        document: ChargesDocument, total: String, fixed: [LkInterface.FixedAmount], receiptContact: String,
        returnURL: String
    ) async throws -> PaymentState {
        let view = try document.core
        let started = try await core {
            try await payments.start(
                accountNumber: document.accountNumber, period: view.document.head.period, total: total,
                fixed: fixed.map { LkBindings.FixedAmount(serviceCode: $0.serviceCode, amount: $0.amount) },
                receiptContact: receiptContact, returnUrl: returnURL)
        }
        return PaymentState(started)
    }

    func awaitResult(id: String) async throws -> PaymentState {
        // Task cancellation does not reach Rust: the token does.
        let cancel = CancelToken()
        return try await withTaskCancellationHandler {
            PaymentState(try await core { try await payments.awaitResult(id: id, everyMs: every, cancel: cancel) })
        } onCancel: {
            cancel.cancel()
        }
    }

    func resolvePending() async throws -> [PaymentState] {
        try await core { try await payments.resolvePending() }.map(PaymentState.init)
    }

    func receiptPDF(_ payment: PaymentState) throws -> Data {
        guard let source = payment.source as? CorePayment else {
            throw LkFailure(kind: .refused, code: "internal", text: "Платёж не из личного кабинета")
        }
        return try core { try payments.receiptPdf(payment: source.payment) }
    }
}

extension PaymentState {
    init(_ view: PaymentView) {
        let status: Status
        switch view.payment.status {
        case .created: status = .created
        case .pending: status = .pending
        case .succeeded: status = .succeeded
        case .declined: status = .declined
        case .canceled: status = .canceled
        }
        self.init(
            id: view.payment.id, status: status, statusText: view.statusText, total: view.payment.allocation.total,
            page: view.confirmationUrl.flatMap(URL.init(string:)), hasReceipt: view.payment.receipt != nil,
            source: CorePayment(payment: view.payment))
    }
}
