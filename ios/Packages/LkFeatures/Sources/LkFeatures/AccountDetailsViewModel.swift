import Foundation
import LkInterface
import Observation

/// An account (R6): its owner, address and debt, the services with their tariffs, the
/// suppliers' bank details; offline, as last seen with its age.
@MainActor
@Observable
public final class AccountDetailsViewModel {
    public struct Service: Equatable, Identifiable {
        public var id: String { name }
        public let name: String
        /// `День (Т1): 5,62 ₽ за 1 кВт·ч`
        public let tariffs: [String]
    }

    public struct State: Equatable {
        public var title = "Лицевой счёт"
        public var owner: String?
        public var address: String?
        public var balance: String?
        public var services: [Service] = []
        /// Each supplier's name and details as lines: `ИНН 4501…`, `БИК …`, `Р/с …`.
        public var suppliers: [[String]] = []
        public var notice: String?
        public var error: String?
        public let chargesTitle = "Начисления и оплата"
        public let metersTitle = "Счётчики и показания"
    }

    public enum Action { case appear, charges, meters }

    public private(set) var state = State()
    private let number: String
    private let accounts: AccountsService
    private let formatting: RussianFormatting
    private let load: CachedLoad
    private let navigate: Navigate

    public init(
        number: String, accounts: AccountsService, formatting: RussianFormatting, clock: Clock = SystemClock(),
        navigate: @escaping Navigate
    ) {
        self.number = number
        self.accounts = accounts
        self.formatting = formatting
        self.load = CachedLoad(formatting: formatting, clock: clock, navigate: navigate)
        self.navigate = navigate
    }

    public func send(_ action: Action) async {
        switch action {
        case .appear:
            guard let loaded = await load({ try await accounts.details(number: number) }, failed: { state.error = $0 })
            else { return }
            state.notice = loaded.notice
            show(loaded.value)
        case .charges: navigate(.charges(number: number))
        case .meters: navigate(.meters(number: number))
        }
    }

    private func show(_ details: AccountDetails) {
        let summary = details.summary
        state.title = "Лицевой счёт \(summary.number)"
        state.owner = summary.owner
        state.address = summary.address
        state.balance = AccountsViewModel.balance(summary.debt, formatting)
        state.services = details.services.map { service in
            Service(
                name: service.name,
                tariffs: service.tariffs.map { tariff in
                    let price = "\(formatting.number(tariff.price))\u{a0}₽ за \(formatting.quantity(1, tariff.unit))"
                    return tariff.zone == .single ? price : "\(formatting.zone(tariff.zone)): \(price)"
                })
        }
        state.suppliers = details.suppliers.map { supplier in
            [supplier.name, "ИНН \(supplier.inn)", supplier.bank, "БИК \(supplier.bic)", "Р/с \(supplier.account)"]
        }
    }
}
