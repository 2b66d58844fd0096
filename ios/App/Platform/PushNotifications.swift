import LkInterface
import UIKit
import UserNotifications

/// Push (R22): the system's permission dialog is shown only after the app has said why (the
/// settings screen's switch), then APNs' device token is registered with the LK
/// (`/api/v1/devices`) through the core.
final class PushDelegate: NSObject, UIApplicationDelegate, UNUserNotificationCenterDelegate {
    func application(
        _ application: UIApplication,
        didFinishLaunchingWithOptions launchOptions: [UIApplication.LaunchOptionsKey: Any]? = nil
    ) -> Bool {
        UNUserNotificationCenter.current().delegate = self
        return true
    }

    func application(_ application: UIApplication, didRegisterForRemoteNotificationsWithDeviceToken deviceToken: Data) {
        let token = deviceToken.map { String(format: "%02x", $0) }.joined()
        Task { try? await BackgroundSync.lk?.registerPushToken(token) }
    }

    func userNotificationCenter(_ center: UNUserNotificationCenter, willPresent notification: UNNotification) async
        -> UNNotificationPresentationOptions
    {
        [.banner, .list, .sound]
    }
}

/// Asks for permission when the person turns notifications on, then registers with APNs.
struct SystemPushRegistration: PushRegistration {
    func requestPermission() async -> Bool {
        let allowed = (try? await UNUserNotificationCenter.current().requestAuthorization(options: [.alert, .sound, .badge])) ?? false
        if allowed { await MainActor.run { UIApplication.shared.registerForRemoteNotifications() } }
        return allowed
    }
}
