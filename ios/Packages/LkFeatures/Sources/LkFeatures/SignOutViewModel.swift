import Foundation
import LkInterface
import Observation

/// Signing out (R4): when actions made on this device are not sent yet, the core's question
/// about them, and the person's choice to keep them for their next sign-in or discard them.
@MainActor
@Observable
public final class SignOutViewModel {
    public struct State: Equatable {
        /// The core's question (`Не отправлено 2 записи…`); none when nothing waits.
        public var question: String?
        public var asking = false
        public var error: String?
        public let signOutTitle = "Выйти"
        public let keepTitle = "Сохранить до следующего входа"
        public let discardTitle = "Удалить и выйти"
        public let cancelTitle = "Отмена"
    }

    public enum Action { case signOut, keep, discard, cancel }

    public private(set) var state = State()
    private let session: SessionService
    private let navigate: Navigate

    public init(session: SessionService, navigate: @escaping Navigate) {
        self.session = session
        self.navigate = navigate
    }

    public func send(_ action: Action) async {
        switch action {
        case .signOut:
            do {
                if let question = try session.unsentWarning() {
                    state.question = question
                    state.asking = true
                } else {
                    await signOut(keep: true)
                }
            } catch {
                state.error = error.lkFailure.text
            }
        case .keep: await signOut(keep: true)
        case .discard: await signOut(keep: false)
        case .cancel:
            state.asking = false
        }
    }

    private func signOut(keep: Bool) async {
        state.asking = false
        do {
            try await session.signOut(keepUnsent: keep)
            navigate(.signIn)
        } catch {
            state.error = error.lkFailure.text
        }
    }
}
