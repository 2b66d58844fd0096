import Foundation
import LkInterface
import Observation

/// Sign-in (R4): login and password, the core's refusal in its words, links to registration and
/// recovery.
@MainActor
@Observable
public final class SignInViewModel {
    public struct State: Equatable {
        public var login = ""
        public var password = ""
        public var busy = false
        /// The core's text of a refusal (`Неверный логин или пароль`), or of no connection.
        public var error: String?
        public var canSubmit: Bool { !busy && !login.isEmpty && !password.isEmpty }
        public let title = "Вход в личный кабинет"
        public let submitTitle = "Войти"
        public let registerTitle = "Зарегистрироваться"
        public let recoverTitle = "Забыли пароль?"
    }

    public enum Action {
        case setLogin(String), setPassword(String), signIn, register, recover
    }

    public private(set) var state = State()
    private let session: SessionService
    private let navigate: Navigate

    public init(session: SessionService, navigate: @escaping Navigate) {
        self.session = session
        self.navigate = navigate
    }

    public func send(_ action: Action) async {
        switch action {
        case .setLogin(let login):
            state.login = login
            state.error = nil
        case .setPassword(let password):
            state.password = password
            state.error = nil
        case .register:
            navigate(.registration)
        case .recover:
            navigate(.recovery)
        case .signIn:
            guard state.canSubmit else { return }
            state.busy = true
            defer { state.busy = false }
            do {
                try await session.signIn(login: state.login.trimmingCharacters(in: .whitespaces), password: state.password)
                state.password = ""
                navigate(try await session.isMeterReader() ? .rounds : .accounts)
            } catch {
                state.error = error.lkFailure.text
            }
        }
    }
}
