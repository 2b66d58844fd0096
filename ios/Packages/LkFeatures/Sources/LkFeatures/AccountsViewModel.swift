import Foundation
import LkInterface
import Observation

/// The accounts of the profile with what each owes (R6, R19): what the device has at once, then
/// refreshed; offline, the stored list stays with its age.
@MainActor
@Observable
public final class AccountsViewModel {
    public struct Row: Equatable, Identifiable {
        public let id: String
        public let title: String
        public let address: String
        public let owner: String
        /// `К оплате 1 234,56 ₽`, `Переплата 12,00 ₽`, `Задолженности нет`
        public let balance: String
        public let accessibilityLabel: String
    }

    public struct State: Equatable {
        public var rows: [Row] = []
        public var loading = false
        /// Shown above the list when it could not be refreshed.
        public var notice: String?
        public var error: String?
        public var empty: String? { rows.isEmpty && !loading && error == nil && notice == nil ? "Лицевые счета не привязаны" : nil }
        public let title = "Лицевые счета"
    }

    public enum Action {
        case appear, refresh, open(number: String), settings
    }

    public private(set) var state = State()
    private let accounts: AccountsService
    private let formatting: RussianFormatting
    private let age: DataAge
    private let navigate: Navigate

    public init(
        accounts: AccountsService, formatting: RussianFormatting, clock: Clock = SystemClock(),
        navigate: @escaping Navigate
    ) {
        self.accounts = accounts
        self.formatting = formatting
        self.age = DataAge(formatting: formatting, clock: clock)
        self.navigate = navigate
    }

    public func send(_ action: Action) async {
        switch action {
        case .appear:
            state.rows = accounts.stored().accounts.map(row)
            await refresh()
        case .refresh:
            await refresh()
        case .open(let number):
            navigate(.accountDetails(number: number))
        case .settings:
            navigate(.settings)
        }
    }

    private func refresh() async {
        state.loading = true
        defer { state.loading = false }
        do {
            state.rows = try await accounts.refresh().map(row)
            state.notice = nil
            state.error = nil
        } catch {
            let failure = error.lkFailure
            switch failure.kind {
            case .offline:
                let stored = accounts.stored()
                if !stored.accounts.isEmpty {
                    state.rows = stored.accounts.map(row)
                    state.notice = stored.refreshedAt.map(age.offlineNotice) ?? "Нет связи. Показаны сохранённые данные"
                } else {
                    state.error = failure.text
                }
            case .signInAgain:
                navigate(.signIn)
            case .refused:
                state.error = failure.text
            }
        }
    }

    private func row(_ account: AccountSummary) -> Row {
        let balance = AccountsViewModel.balance(account.debt, formatting)
        let title = "Лицевой счёт \(account.number)" + (account.own ? "" : " (привязан)")
        return Row(
            id: account.number, title: title, address: account.address, owner: account.owner,
            balance: balance, accessibilityLabel: "\(title), \(account.address), \(balance)")
    }

    /// What an account's debt means to its payer (R6).
    static func balance(_ debt: Decimal, _ formatting: RussianFormatting) -> String {
        if debt > 0 { return "К оплате \(formatting.money(debt))" }
        if debt < 0 { return "Переплата \(formatting.money(-debt))" }
        return "Задолженности нет"
    }
}
