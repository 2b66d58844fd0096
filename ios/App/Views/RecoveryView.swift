import LkFeatures
import LkInterface
import SwiftUI

struct RecoveryView: View {
    @State var model: RecoveryViewModel

    private func text(_ get: @escaping () -> String, _ set: @escaping (String) -> RecoveryViewModel.Action) -> Binding<String> {
        Binding(get: get, set: { value in Task { await model.send(set(value)) } })
    }

    var body: some View {
        Form {
            switch model.state.step {
            case .contact:
                Picker(
                    "Способ подтверждения",
                    selection: Binding(
                        get: { model.state.channel },
                        set: { channel in Task { await model.send(.setChannel(channel)) } })
                ) {
                    Text("SMS").tag(Channel.phone)
                    Text("E-mail").tag(Channel.email)
                }
                TextField("Телефон или e-mail", text: text({ model.state.contact }, { .setContact($0) }))
                if let captcha = model.state.captcha, let image = UIImage(data: captcha.png) {
                    Image(uiImage: image).accessibilityLabel("Картинка с цифрами")
                }
                TextField("Цифры с картинки", text: text({ model.state.captchaAnswer }, { .setCaptchaAnswer($0) }))
                    .keyboardType(.numberPad)
                Button("Далее") { Task { await model.send(.start) } }
            case .code:
                TextField("Код", text: text({ model.state.code }, { .setCode($0) }))
                    .keyboardType(.numberPad)
                    .textContentType(.oneTimeCode)
                Button("Подтвердить") { Task { await model.send(.submitCode) } }
            case .password:
                Picker("Логин", selection: text({ model.state.login }, { .setLogin($0) })) {
                    ForEach(model.state.logins, id: \.self) { Text($0).tag($0) }
                }
                SecureField("Новый пароль", text: text({ model.state.password }, { .setPassword($0) }))
                SecureField("Пароль ещё раз", text: text({ model.state.passwordRepeat }, { .setPasswordRepeat($0) }))
                Button("Сохранить") { Task { await model.send(.submitPassword) } }
            case .done:
                Button("Войти") { Task { await model.send(.finish) } }
            }
            if let error = model.state.error { ErrorText(error) }
        }
        .disabled(model.state.busy)
        .task { await model.send(.appear) }
        .navigationTitle(model.state.title)
    }
}
