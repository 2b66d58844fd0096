import Foundation
import LkInterface
import Observation

/// Push notifications (R22): what they are for is said first, and the system's permission dialog
/// is shown only when the person asks for them here; once allowed, the app registers its device
/// token with the LK.
@MainActor
@Observable
public final class NotificationsViewModel {
    public struct State: Equatable {
        public let explanation =
            "Пришлём уведомление о новом платёжном документе, о начале приёма показаний и о результате оплаты"
        public let enableTitle = "Включить уведомления"
        public var status: String?
        public var canEnable = true
    }

    public enum Action { case enable }

    public private(set) var state = State()
    private let push: PushRegistration

    public init(push: PushRegistration) {
        self.push = push
    }

    public func send(_ action: Action) async {
        switch action {
        case .enable:
            state.canEnable = false
            if await push.requestPermission() {
                state.status = "Уведомления включены"
            } else {
                state.status = "Уведомления запрещены. Их можно разрешить в настройках iPhone"
                state.canEnable = true
            }
        }
    }
}
