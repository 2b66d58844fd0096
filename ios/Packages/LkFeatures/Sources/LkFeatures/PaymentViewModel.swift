import Foundation
import LkInterface
import Observation

/// Paying a document by card (R9, R23): the total (the amount due, or as typed) split over the
/// services by the core as the person types, amounts fixed on editable lines, «Итоговая сумма
/// верна?», the acquirer's page in the browser, and the status as the core confirms it.
@MainActor
@Observable
public final class PaymentViewModel {
    public struct Part: Equatable, Identifiable {
        public let id: String
        public let service: String
        public let editable: Bool
        /// What the person typed on this line, or the computed amount as text to edit.
        public var text: String
        /// `1 234,56 ₽`
        public let amount: String
        public let fixed: Bool
    }

    public enum Step: Equatable {
        /// Typing the total and the lines.
        case edit
        /// «Итоговая сумма верна?» with the split.
        case confirm
        /// On the acquirer's page, then waiting for the core's answer.
        case paying
        /// The core's final word (`Оплата выполнена успешно`).
        case done(succeeded: Bool)
    }

    public struct State: Equatable {
        public var step = Step.edit
        public var total = ""
        public var totalError: String?
        public var parts: [Part] = []
        public var partErrors: [String: String] = [:]
        public var receiptContact = ""
        public var receiptContactError: String?
        public var question: String?
        public var status: String?
        public var error: String?
        public var busy = false
        public var receipt: SharedFile?
        public var canContinue: Bool { step == .edit && totalError == nil && partErrors.isEmpty && !parts.isEmpty && !busy }
        public let title = "Оплата картой"
        public let totalTitle = "Итоговая сумма"
        public let contactTitle = "Телефон или e-mail для чека"
        public let continueTitle = "Далее"
        public let confirmTitle = "Да, оплатить"
        public let backTitle = "Изменить"
        public let receiptTitle = "Чек (PDF)"
    }

    public enum Action {
        case appear
        case setTotal(String)
        case setPart(service: String, text: String)
        case setReceiptContact(String)
        case proceed, back, pay, shareReceipt, close
    }

    public private(set) var state = State()
    private let number: String
    private let period: Period
    private let charges: ChargesService
    private let payments: PaymentsService
    private let browser: PaymentBrowser
    private let formatting: RussianFormatting
    private let returnURL: String
    private let navigate: Navigate
    private var document: ChargesDocument?
    private var typed: [String: String] = [:]
    private var split: Split?
    private var payment: PaymentState?

    public init(
        number: String, period: Period, charges: ChargesService, payments: PaymentsService, browser: PaymentBrowser,
        formatting: RussianFormatting, returnURL: String, navigate: @escaping Navigate
    ) {
        self.number = number
        self.period = period
        self.charges = charges
        self.payments = payments
        self.browser = browser
        self.formatting = formatting
        self.returnURL = returnURL
        self.navigate = navigate
    }

    public func send(_ action: Action) async {
        switch action {
        case .appear:
            do {
                let document = try await charges.document(number: number, period: period).value
                self.document = document
                state.total = formatting.number(document.amountDue)
                resplit()
            } catch {
                state.error = error.lkFailure.text
            }
        case .setTotal(let text):
            state.total = text
            resplit()
        case .setPart(let service, let text):
            typed[service] = text.trimmingCharacters(in: .whitespaces).isEmpty ? nil : text
            resplit()
        case .setReceiptContact(let contact):
            state.receiptContact = contact
            state.receiptContactError = nil
        case .proceed:
            guard state.canContinue, let split else { return }
            state.question = "Итоговая сумма верна? \(formatting.money(split.total))"
            state.step = .confirm
        case .back:
            state.step = .edit
            state.question = nil
        case .pay:
            await pay()
        case .shareReceipt:
            guard let payment else { return }
            do {
                state.receipt = SharedFile(name: "Чек \(payment.id).pdf", data: try payments.receiptPDF(payment), type: .pdf)
            } catch {
                state.error = error.lkFailure.text
            }
        case .close:
            navigate(.charges(number: number))
        }
    }

    /// The core splits the total as typed, with the amounts typed on editable lines fixed.
    private func resplit() {
        guard let document else { return }
        state.totalError = nil
        state.partErrors = [:]
        var fixed: [FixedAmount] = []
        for (service, text) in typed {
            do {
                fixed.append(FixedAmount(serviceCode: service, amount: try charges.amount(text, field: service)))
            } catch {
                state.partErrors[service] = error.lkFailure.text
            }
        }
        do {
            let split = try charges.split(document, total: state.total, fixed: fixed)
            self.split = split
            let names = Dictionary(uniqueKeysWithValues: document.lines.map { ($0.serviceCode, $0) })
            state.parts = split.parts.map { part in
                let line = names[part.serviceCode]
                return Part(
                    id: part.serviceCode, service: line?.serviceName ?? part.serviceCode, editable: line?.editable ?? false,
                    text: typed[part.serviceCode] ?? formatting.number(part.amount),
                    amount: formatting.money(part.amount), fixed: part.fixed)
            }
        } catch {
            let failure = error.lkFailure
            if let field = failure.field, field != "total", typed[field] != nil {
                state.partErrors[field] = failure.text
            } else {
                state.totalError = failure.text
            }
        }
    }

    private func pay() async {
        guard state.step == .confirm, let document, let split else { return }
        state.busy = true
        defer { state.busy = false }
        do {
            let fixed = split.parts.filter(\.fixed).map { FixedAmount(serviceCode: $0.serviceCode, amount: $0.amount) }
            let started = try await payments.start(
                document: document, total: state.total, fixed: fixed,
                receiptContact: state.receiptContact, returnURL: returnURL)
            payment = started
            state.step = .paying
            state.status = started.statusText
            if let page = started.page {
                // Whatever the page or the browser says, the status is the core's.
                try? await browser.open(page, returningTo: returnURL)
            }
            let final = try await payments.awaitResult(id: started.id)
            payment = final
            state.status = final.statusText
            state.step = .done(succeeded: final.status == .succeeded)
        } catch {
            let failure = error.lkFailure
            if failure.field == "receipt_contact" {
                state.receiptContactError = failure.text
                state.step = .edit
            } else {
                state.error = failure.text
                if payment == nil { state.step = .confirm }
            }
        }
    }
}
