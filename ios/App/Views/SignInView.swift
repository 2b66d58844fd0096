import LkFeatures
import SwiftUI

struct SignInView: View {
    @State var model: SignInViewModel

    var body: some View {
        Form {
            Section {
                TextField("Логин", text: Binding(get: { model.state.login }, set: { value in Task { await model.send(.setLogin(value)) } }))
                    .textContentType(.username)
                    .textInputAutocapitalization(.never)
                SecureField(
                    "Пароль",
                    text: Binding(
                        get: { model.state.password },
                        set: { value in Task { await model.send(.setPassword(value)) } })
                )
                .textContentType(.password)
            }
            if let error = model.state.error {
                Section { ErrorText(error) }
            }
            Section {
                Button(model.state.submitTitle) { Task { await model.send(.signIn) } }
                    .disabled(!model.state.canSubmit)
                Button(model.state.registerTitle) { Task { await model.send(.register) } }
                Button(model.state.recoverTitle) { Task { await model.send(.recover) } }
            }
        }
        .overlay { if model.state.busy { ProgressView() } }
        .navigationTitle(model.state.title)
    }
}

/// A refusal in red, read out by VoiceOver as soon as it appears.
struct ErrorText: View {
    let text: String
    init(_ text: String) { self.text = text }

    var body: some View {
        Text(text)
            .font(.callout)
            .foregroundStyle(.red)
            .accessibilityAddTraits(.updatesFrequently)
            .onAppear { AccessibilityNotification.Announcement(text).post() }
    }
}

/// The age of what is shown, when it could not be refreshed.
struct NoticeText: View {
    let text: String
    init(_ text: String) { self.text = text }

    var body: some View {
        Label(text, systemImage: "wifi.slash")
            .font(.footnote)
            .foregroundStyle(.secondary)
    }
}
