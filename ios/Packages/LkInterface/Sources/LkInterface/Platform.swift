import Foundation

/// What only the phone does, behind small interfaces the app target implements (VisionKit and
/// Vision, APNs, ASWebAuthenticationSession) and the tests fake.

/// The card page of the acquirer opened in the system's browser sheet (R23); answers when the
/// person is sent back to the app (the universal link or `lk://`) or closes the sheet. Whatever
/// the page said, the payment's status is then asked of the core.
public protocol PaymentBrowser: Sendable {
    func open(_ page: URL, returningTo returnURL: String) async throws
}

/// Push notifications (R22): permission asked when it is explained, the token given to the LK.
public protocol PushRegistration: Sendable {
    /// Asks the person (the system's dialog); true when allowed.
    func requestPermission() async -> Bool
}
