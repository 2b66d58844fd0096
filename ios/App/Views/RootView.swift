import LkFeatures
import LkInterface
import SwiftUI

/// Follows the view models' routes: the root screen, and a stack pushed above it.
struct RootView: View {
    @Bindable var app: AppModel

    var body: some View {
        if let lk = app.lk {
            NavigationStack(path: $app.path) {
                screen(app.root, lk)
                    .navigationDestination(for: Route.self) { screen($0, lk) }
            }
        } else {
            ContentUnavailableView(app.openError ?? "", systemImage: "exclamationmark.triangle")
        }
    }

    @ViewBuilder
    private func screen(_ route: Route, _ lk: CoreLk) -> some View {
        let navigate: Navigate = { app.navigate($0) }
        switch route {
        case .signIn:
            SignInView(model: SignInViewModel(session: lk.session, navigate: navigate))
        case .registration:
            RegistrationView(model: RegistrationViewModel(session: lk.session, navigate: navigate))
        case .accounts:
            AccountsView(model: AccountsViewModel(accounts: lk.accounts, formatting: lk.formatting, navigate: navigate))
        case .accountDetails(let number):
            AccountDetailsView(
                model: AccountDetailsViewModel(number: number, accounts: lk.accounts, formatting: lk.formatting, navigate: navigate))
        case .charges(let number):
            ChargesView(
                model: ChargesViewModel(
                    number: number, charges: lk.charges, formatting: lk.formatting,
                    navigate: navigate))
        case .payment(let number, let period):
            PaymentView(
                model: PaymentViewModel(
                    number: number, period: period, charges: lk.charges, payments: lk.payments,
                    browser: app.browser, formatting: lk.formatting,
                    returnURL: AppModel.returnURL, navigate: navigate))
        case .meters(let number):
            MetersView(
                model: MetersViewModel(
                    number: number, readings: lk.readings, formatting: lk.formatting,
                    navigate: navigate))
        case .reading(let number, let meterId):
            ReadingView(
                model: ReadingViewModel(
                    number: number, meterId: meterId, readings: lk.readings,
                    formatting: lk.formatting, navigate: navigate))
        case .rounds:
            RoundsView(model: RoundsViewModel(rounds: lk.rounds, formatting: lk.formatting, navigate: navigate))
                .onAppear { app.location.askPermission() }
        case .stop(let round, let stop):
            CaptureView(
                model: CaptureViewModel(
                    round: round, stop: stop, rounds: lk.rounds, formatting: lk.formatting,
                    position: { [location = app.location] in location.current() }))
        case .recovery:
            RecoveryView(model: RecoveryViewModel(session: lk.session, navigate: navigate))
        case .settings:
            SettingsView(
                notifications: NotificationsViewModel(push: SystemPushRegistration()),
                signOut: SignOutViewModel(session: lk.session, navigate: navigate))
        }
    }
}
