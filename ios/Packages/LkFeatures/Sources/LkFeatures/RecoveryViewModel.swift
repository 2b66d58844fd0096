import Foundation
import LkInterface
import Observation

/// Password recovery (R5): the phone or e-mail with the CAPTCHA, the code sent there, the login
/// chosen among those of the contact, and the new password twice; then sign-in.
@MainActor
@Observable
public final class RecoveryViewModel {
    public enum Step: Equatable { case contact, code, password, done }

    public struct State: Equatable {
        public var step = Step.contact
        public var channel = Channel.phone
        public var contact = ""
        public var captcha: Captcha?
        public var captchaAnswer = ""
        public var code = ""
        public var logins: [String] = []
        public var login = ""
        public var password = ""
        public var passwordRepeat = ""
        public var error: String?
        public var busy = false
        public var title: String {
            switch step {
            case .contact: return "Восстановление пароля"
            case .code: return "Код подтверждения"
            case .password: return "Новый пароль"
            case .done: return "Пароль изменён"
            }
        }
    }

    public enum Action {
        case appear, newCaptcha
        case setChannel(Channel), setContact(String), setCaptchaAnswer(String), setCode(String)
        case setLogin(String), setPassword(String), setPasswordRepeat(String)
        case start, submitCode, submitPassword, finish
    }

    public private(set) var state = State()
    private let session: SessionService
    private let navigate: Navigate
    private var recovery: Recovery?

    public init(session: SessionService, navigate: @escaping Navigate) {
        self.session = session
        self.navigate = navigate
    }

    public func send(_ action: Action) async {
        state.error = nil
        switch action {
        case .appear, .newCaptcha:
            await run { self.state.captcha = try await self.session.captcha() }
        case .setChannel(let channel): state.channel = channel
        case .setContact(let text): state.contact = text
        case .setCaptchaAnswer(let text): state.captchaAnswer = text
        case .setCode(let text): state.code = text
        case .setLogin(let text): state.login = text
        case .setPassword(let text): state.password = text
        case .setPasswordRepeat(let text): state.passwordRepeat = text
        case .start:
            guard let captcha = state.captcha else { return }
            await run {
                self.recovery = try await self.session.startRecovery(
                    channel: self.state.channel, contact: self.state.contact,
                    captcha: CaptchaAnswer(id: captcha.id, answer: self.state.captchaAnswer))
                self.state.step = .code
            }
            if state.step == .contact { await run { self.state.captcha = try await self.session.captcha() } }
        case .submitCode:
            guard let id = recovery?.id else { return }
            await run {
                self.state.logins = try await self.session.recoveryCode(recovery: id, code: self.state.code)
                self.state.login = self.state.logins.first ?? ""
                self.state.step = .password
            }
        case .submitPassword:
            guard let id = recovery?.id else { return }
            await run {
                try await self.session.recoveryPassword(
                    recovery: id, login: self.state.login, password: self.state.password,
                    repeat: self.state.passwordRepeat)
                self.state.step = .done
            }
        case .finish:
            navigate(.signIn)
        }
    }

    private func run(_ work: () async throws -> Void) async {
        state.busy = true
        defer { state.busy = false }
        do { try await work() } catch { state.error = state.error ?? error.lkFailure.text }
    }
}
