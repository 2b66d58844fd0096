import Foundation
import LkInterface
import Observation

/// The registration wizard (R1–R3): the form with the CAPTCHA and the consent, the account with
/// the proof of its latest document, the account's address and owner to confirm, the code sent
/// by SMS (or the e-mail's link), then sign-in. Each refusal is the core's text under its field.
@MainActor
@Observable
public final class RegistrationViewModel {
    public enum Step: Equatable { case form, account, confirmAccount, code, done }

    public struct State: Equatable {
        public var step = Step.form
        public var form = RegistrationForm()
        public var cities: [String] = []
        public var captcha: Captcha?
        public var captchaAnswer = ""
        public var accountNumber = ""
        public var latestTotal = ""
        /// The account found, to confirm: `Адрес: …`, `Владелец: И***в И. И.`
        public var preview: [String] = []
        public var code = ""
        /// `Код отправлен на +7 912 ***-**-55`
        public var codeSentTo: String?
        public var fieldErrors: [Field: String] = [:]
        public var error: String?
        public var busy = false

        public var title: String {
            switch step {
            case .form: return "Регистрация"
            case .account: return "Лицевой счёт"
            case .confirmAccount: return "Проверьте данные"
            case .code: return "Подтверждение"
            case .done: return "Регистрация завершена"
            }
        }
        public let consentText = "Я согласен на обработку персональных данных"
        public let accountHint = "Номер лицевого счёта и сумма «Итого к оплате» из последнего платёжного документа"
        public let confirmTitle = "Данные верны, продолжить"
        public let changeTitle = "Изменить"
        public let resendTitle = "Отправить код ещё раз"
        public let newCaptchaTitle = "Другая картинка"
    }

    /// The fields an error can stand under.
    public enum Field: Hashable, Sendable {
        case login, password, contact, city, consent, captcha, accountNumber, latestTotal, code
    }

    public enum Action {
        case appear, newCaptcha
        case edit((inout RegistrationForm) -> Void)
        case setCaptchaAnswer(String), setAccountNumber(String), setLatestTotal(String), setCode(String)
        case submitForm, bindAccount, confirmAccount, changeAccount, submitCode, resendCode, finish
    }

    public private(set) var state = State()
    private let session: SessionService
    private let navigate: Navigate
    private var registration: Registration?

    public init(session: SessionService, navigate: @escaping Navigate) {
        self.session = session
        self.navigate = navigate
    }

    public func send(_ action: Action) async {
        switch action {
        case .appear:
            await run {
                self.state.cities = try await self.session.cities().flatMap(\.cities)
                if self.state.form.city.isEmpty { self.state.form.city = self.state.cities.first ?? "" }
            }
            await newCaptcha()
        case .newCaptcha:
            await newCaptcha()
        case .edit(let change):
            change(&state.form)
            state.fieldErrors = [:]
        case .setCaptchaAnswer(let text): state.captchaAnswer = text; state.fieldErrors[.captcha] = nil
        case .setAccountNumber(let text): state.accountNumber = text; state.fieldErrors[.accountNumber] = nil
        case .setLatestTotal(let text): state.latestTotal = text; state.fieldErrors[.latestTotal] = nil
        case .setCode(let text): state.code = text; state.fieldErrors[.code] = nil
        case .submitForm:
            guard let captcha = state.captcha else { return }
            await run {
                let answer = CaptchaAnswer(id: captcha.id, answer: self.state.captchaAnswer)
                self.show(try await self.session.startRegistration(self.state.form, captcha: answer))
            }
            if state.step == .form { await newCaptcha(keepingErrors: true) }
        case .bindAccount:
            guard let id = registration?.id else { return }
            await run {
                self.show(
                    try await self.session.bindAccount(
                        registration: id, number: self.state.accountNumber,
                        latestTotal: self.state.latestTotal))
            }
        case .confirmAccount:
            guard let id = registration?.id else { return }
            await run { self.show(try await self.session.confirmAccount(registration: id)) }
        case .changeAccount:
            state.step = .account
        case .submitCode:
            guard let id = registration?.id else { return }
            await run { self.show(try await self.session.registrationCode(registration: id, code: self.state.code)) }
        case .resendCode:
            guard let id = registration?.id else { return }
            await run { self.show(try await self.session.resendCode(registration: id)) }
        case .finish:
            navigate(.signIn)
        }
    }

    private func newCaptcha(keepingErrors: Bool = false) async {
        await run(keepingErrors: keepingErrors) {
            self.state.captcha = try await self.session.captcha()
            self.state.captchaAnswer = ""
        }
    }

    private func show(_ registration: Registration) {
        self.registration = registration
        switch registration.status {
        case .awaitingAccount:
            state.step = .account
        case .awaitingAccountConfirmation:
            state.step = .confirmAccount
            state.preview =
                registration.account.map {
                    ["Лицевой счёт: \($0.number)", "Адрес: \($0.address)", "Владелец: \($0.ownerMasked)"]
                } ?? []
        case .awaitingCode:
            state.step = .code
            state.codeSentTo =
                registration.channel == .phone
                ? "Код отправлен в SMS на \(registration.contactMasked)"
                : "Письмо со ссылкой отправлено на \(registration.contactMasked). Перейдите по ссылке или введите код из письма"
        case .completed:
            state.step = .done
        }
    }

    /// Runs a step; a refusal goes under its field when the core names one the form has.
    private func run(keepingErrors: Bool = false, _ work: () async throws -> Void) async {
        state.busy = true
        if !keepingErrors {
            state.error = nil
            state.fieldErrors = [:]
        }
        defer { state.busy = false }
        do {
            try await work()
        } catch {
            let failure = error.lkFailure
            if let field = failure.field.flatMap(Self.field) {
                state.fieldErrors[field] = failure.text
            } else {
                state.error = failure.text
            }
        }
    }

    /// The core's field names (the API's) to the form's.
    private static func field(_ name: String) -> Field? {
        switch name {
        case "login": return .login
        case "password": return .password
        case "contact": return .contact
        case "city": return .city
        case "consent": return .consent
        case "captcha", "answer", "captcha.answer": return .captcha
        case "account_number": return .accountNumber
        case "latest_document_total": return .latestTotal
        case "code": return .code
        default: return nil
        }
    }
}
