import LkFeatures
import LkInterface
import SwiftUI

struct RegistrationView: View {
    @State var model: RegistrationViewModel

    private func text(_ get: @escaping () -> String, _ set: @escaping (String) -> RegistrationViewModel.Action) -> Binding<String> {
        Binding(get: get, set: { value in Task { await model.send(set(value)) } })
    }

    private func form(_ keyPath: WritableKeyPath<RegistrationForm, String>) -> Binding<String> {
        Binding(
            get: { model.state.form[keyPath: keyPath] },
            set: { value in Task { await model.send(.edit { $0[keyPath: keyPath] = value }) } })
    }

    @ViewBuilder
    private func error(_ field: RegistrationViewModel.Field) -> some View {
        if let text = model.state.fieldErrors[field] { ErrorText(text) }
    }

    var body: some View {
        Form {
            switch model.state.step {
            case .form:
                Section {
                    TextField("Логин", text: form(\.login)).textInputAutocapitalization(.never)
                    error(.login)
                    SecureField("Пароль", text: form(\.password))
                    error(.password)
                    Picker(
                        "Способ подтверждения",
                        selection: Binding(
                            get: { model.state.form.channel },
                            set: { channel in Task { await model.send(.edit { $0.channel = channel }) } })
                    ) {
                        Text("SMS").tag(Channel.phone)
                        Text("E-mail").tag(Channel.email)
                    }
                    TextField(model.state.form.channel == .phone ? "Телефон" : "E-mail", text: form(\.contact))
                    error(.contact)
                    Picker("Населённый пункт", selection: form(\.city)) {
                        ForEach(model.state.cities, id: \.self) { Text($0).tag($0) }
                    }
                    error(.city)
                }
                Section {
                    if let captcha = model.state.captcha, let image = UIImage(data: captcha.png) {
                        Image(uiImage: image).accessibilityLabel("Картинка с цифрами")
                    }
                    Button(model.state.newCaptchaTitle) { Task { await model.send(.newCaptcha) } }
                    TextField("Цифры с картинки", text: text({ model.state.captchaAnswer }, { .setCaptchaAnswer($0) }))
                        .keyboardType(.numberPad)
                    error(.captcha)
                    Toggle(
                        model.state.consentText,
                        isOn: Binding(
                            get: { model.state.form.consent },
                            set: { given in Task { await model.send(.edit { $0.consent = given }) } }))
                    error(.consent)
                }
                Button("Далее") { Task { await model.send(.submitForm) } }
            case .account:
                Text(model.state.accountHint).font(.footnote)
                TextField("Номер лицевого счёта", text: text({ model.state.accountNumber }, { .setAccountNumber($0) }))
                    .keyboardType(.numberPad)
                error(.accountNumber)
                TextField("Итого к оплате", text: text({ model.state.latestTotal }, { .setLatestTotal($0) }))
                    .keyboardType(.decimalPad)
                error(.latestTotal)
                Button("Далее") { Task { await model.send(.bindAccount) } }
            case .confirmAccount:
                ForEach(model.state.preview, id: \.self) { Text($0) }
                Button(model.state.confirmTitle) { Task { await model.send(.confirmAccount) } }
                Button(model.state.changeTitle) { Task { await model.send(.changeAccount) } }
            case .code:
                if let sent = model.state.codeSentTo { Text(sent) }
                TextField("Код", text: text({ model.state.code }, { .setCode($0) }))
                    .keyboardType(.numberPad)
                    .textContentType(.oneTimeCode)
                error(.code)
                Button("Подтвердить") { Task { await model.send(.submitCode) } }
                Button(model.state.resendTitle) { Task { await model.send(.resendCode) } }
            case .done:
                Text("Теперь войдите с новым логином и паролем")
                Button("Войти") { Task { await model.send(.finish) } }
            }
            if let error = model.state.error { ErrorText(error) }
        }
        .disabled(model.state.busy)
        .task { await model.send(.appear) }
        .navigationTitle(model.state.title)
    }
}
