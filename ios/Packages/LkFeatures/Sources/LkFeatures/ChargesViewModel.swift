import Foundation
import LkInterface
import Observation

/// An account's payment documents and the chosen one's 8 columns (R7), its PDF to share (R8),
/// and the way to pay it (R9). Offline, the stored document is shown with its age.
@MainActor
@Observable
public final class ChargesViewModel {
    public struct Line: Equatable, Identifiable {
        public let id: String
        public let service: String
        /// `Тариф 5,62 ₽ · Объём 150 кВт·ч`
        public let basis: String
        public let columns: [Column]
        public let toPay: String
        public let accessibilityLabel: String
    }

    /// One of columns 3–7, as the document prints it.
    public struct Column: Equatable {
        public let title: String
        public let value: String
    }

    public struct State: Equatable {
        public var periods: [PeriodChoice] = []
        public var selected: Period?
        public var title = "Начисления"
        public var subtitle: String?
        public var lines: [Line] = []
        /// `Итого к оплате: 1 234,56 ₽` or `Переплата: 12,00 ₽`
        public var total: String?
        public var canPay = false
        public var loading = false
        public var notice: String?
        public var error: String?
        public var shared: SharedFile?
        public let payTitle = "Оплатить"
        public let pdfTitle = "Платёжный документ (PDF)"
    }

    public struct PeriodChoice: Equatable, Identifiable {
        public let id: Period
        public let title: String
    }

    public enum Action {
        case appear, select(Period), pay, sharePDF, sharedDone
    }

    public private(set) var state = State()
    private let number: String
    private let charges: ChargesService
    private let formatting: RussianFormatting
    private let load: CachedLoad
    private let navigate: Navigate
    private var document: ChargesDocument?

    public init(
        number: String, charges: ChargesService, formatting: RussianFormatting, clock: Clock = SystemClock(),
        navigate: @escaping Navigate
    ) {
        self.number = number
        self.charges = charges
        self.formatting = formatting
        self.load = CachedLoad(formatting: formatting, clock: clock, navigate: navigate)
        self.navigate = navigate
    }

    public func send(_ action: Action) async {
        switch action {
        case .appear:
            await documents()
        case .select(let period):
            await open(period)
        case .pay:
            if let document, state.canPay { navigate(.payment(number: number, period: document.period)) }
        case .sharePDF:
            guard let document else { return }
            do {
                state.shared = SharedFile(
                    name: "ЕПД \(number) \(document.period.code).pdf", data: try charges.pdf(document),
                    type: .pdf)
            } catch {
                state.error = error.lkFailure.text
            }
        case .sharedDone:
            state.shared = nil
        }
    }

    private func documents() async {
        state.loading = true
        defer { state.loading = false }
        guard let loaded = await load({ try await charges.documents(number: number) }, failed: { state.error = $0 })
        else { return }
        state.periods = loaded.value.sorted { $0.period > $1.period }
            .map { PeriodChoice(id: $0.period, title: formatting.period($0.period).capitalizedFirst) }
        guard let latest = state.periods.first?.id else {
            state.error = "Платёжных документов пока нет"
            return
        }
        await open(latest)
    }

    private func open(_ period: Period) async {
        state.selected = period
        guard
            let loaded = await load(
                { try await charges.document(number: number, period: period) }, failed: { state.error = $0 })
        else { return }
        show(loaded.value)
        state.notice = loaded.notice
    }

    private func show(_ document: ChargesDocument) {
        self.document = document
        let money = formatting.money
        state.title = "Начисления за \(formatting.period(document.period))"
        state.subtitle = "Лицевой счёт \(document.accountNumber) · оплатить до \(formatting.date(document.dueDate))"
        state.lines = document.lines.map { line in
            // A tariff has up to 4 decimals (43,1725 ₽), so it is a number, not an amount of money.
            let basis = "Тариф \(formatting.number(line.tariff))\u{a0}₽ · Объём \(formatting.quantity(line.volume, line.unit))"
            let columns = [
                Column(title: "Долг на начало периода", value: money(line.debt)),
                Column(title: "Оплачено", value: money(line.paid)),
                Column(title: "Начислено", value: money(line.charged)),
                Column(title: "Перерасчёт", value: money(line.recalculation)),
            ]
            let toPay = money(line.toPay)
            let spoken = ([line.serviceName, basis] + columns.map { "\($0.title) \($0.value)" } + ["К оплате \(toPay)"])
                .joined(separator: ", ")
            return Line(
                id: line.serviceCode, service: line.serviceName, basis: basis, columns: columns, toPay: toPay,
                accessibilityLabel: spoken)
        }
        state.total =
            document.amountDue > 0
            ? "Итого к оплате: \(money(document.amountDue))"
            : document.credit > 0 ? "Переплата: \(money(document.credit))" : "Итого к оплате: \(money(0))"
        state.canPay = document.amountDue > 0
        state.error = nil
    }
}

/// A file handed to the system's share sheet.
public struct SharedFile: Equatable {
    public enum Kind: Equatable { case pdf }
    public let name: String
    public let data: Data
    public let type: Kind
}

extension String {
    /// `Октябрь 2026` at the head of a line, from the core's `октябрь 2026`.
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
