import BackgroundTasks
import LkFeatures
import LkImplementation
import LkInterface
import SwiftUI

/// The app: opens the LK once, resolves a payment left open when the app died (R23), keeps the
/// outbox flowing, and shows the screen the view models navigate to.
@main
struct LKApp: App {
    @UIApplicationDelegateAdaptor(PushDelegate.self) private var push
    @State private var app = AppModel()

    var body: some Scene {
        WindowGroup {
            RootView(app: app)
                .task { await app.start() }
                .onOpenURL { app.returned(from: $0) }
        }
        .backgroundTask(.appRefresh(BackgroundSync.identifier)) { await BackgroundSync.run() }
    }
}

/// The composition root: the one `CoreLk`, the platform services, and the navigation path the
/// view models' routes are pushed onto.
@MainActor
@Observable
final class AppModel {
    static let serviceURL = Bundle.main.object(forInfoDictionaryKey: "LKServiceURL") as? String ?? "https://lk.vostok.example"
    static let returnURL = "lk://payment"

    let lk: CoreLk?
    let openError: String?
    var path: [Route] = []
    var root: Route = .signIn
    let browser = WebPaymentBrowser()
    let location = LocationFix()

    init() {
        do {
            let folder = URL.applicationSupportDirectory.appending(path: "lk", directoryHint: .isDirectory)
            lk = try CoreLk(baseURL: Self.serviceURL, dataDirectory: folder, tokens: KeychainTokenStore())
            openError = nil
        } catch {
            lk = nil
            openError = error.lkFailure.text
        }
        root = lk?.session.isSignedIn == true ? .accounts : .signIn
        BackgroundSync.lk = lk
    }

    func start() async {
        guard let lk else { return }
        try? lk.startSync()
        BackgroundSync.schedule()
        // A payment left on the bank's page when the app died: its status from the core.
        _ = try? await lk.payments.resolvePending()
    }

    /// The universal link or `lk://payment` back from the bank's page: the sheet closes and the
    /// waiting view model asks the core for the status.
    func returned(from url: URL) {
        browser.returned(url)
    }

    func navigate(_ route: Route) {
        switch route {
        case .signIn, .accounts, .rounds:
            root = route
            path = []
        default:
            path.append(route)
        }
    }
}
