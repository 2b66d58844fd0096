import BackgroundTasks
import LkImplementation

/// Readings and other actions made offline go even when the app is not open: an app-refresh
/// task (BGTaskScheduler, handled by SwiftUI's `.backgroundTask` in LKApp) sends what waits in
/// the core's outbox. The identifier is declared in project.yml's BGTaskSchedulerPermittedIdentifiers.
enum BackgroundSync {
    static let identifier = "ru.vostok.lk.sync"
    nonisolated(unsafe) static var lk: CoreLk?

    static func schedule() {
        let request = BGAppRefreshTaskRequest(identifier: identifier)
        request.earliestBeginDate = Date(timeIntervalSinceNow: 15 * 60)
        try? BGTaskScheduler.shared.submit(request)
    }

    static func run() async {
        schedule()
        _ = try? await lk?.readings.syncNow()
    }
}
