import LkFeatures
import SwiftUI

/// The sign-out button with the core's question about unsent actions.
struct SignOutButton: View {
    @State var model: SignOutViewModel

    var body: some View {
        Button(model.state.signOutTitle) { Task { await model.send(.signOut) } }
            .confirmationDialog(
                model.state.question ?? "",
                isPresented: Binding(
                    get: { model.state.asking },
                    set: { asking in
                        if !asking { Task { await model.send(.cancel) } }
                    }), titleVisibility: .visible
            ) {
                Button(model.state.keepTitle) { Task { await model.send(.keep) } }
                Button(model.state.discardTitle, role: .destructive) { Task { await model.send(.discard) } }
                Button(model.state.cancelTitle, role: .cancel) { Task { await model.send(.cancel) } }
            }
    }
}

/// Settings: notifications with what they are for (R22), and signing out.
struct SettingsView: View {
    @State var notifications: NotificationsViewModel
    @State var signOut: SignOutViewModel

    var body: some View {
        Form {
            Section {
                Text(notifications.state.explanation)
                Button(notifications.state.enableTitle) { Task { await notifications.send(.enable) } }
                    .disabled(!notifications.state.canEnable)
                if let status = notifications.state.status { Text(status).font(.footnote) }
            }
            Section { SignOutButton(model: signOut) }
        }
        .navigationTitle("Настройки")
    }
}
