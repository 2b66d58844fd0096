import AuthenticationServices
import LkInterface
import UIKit

/// The acquirer's card page in `ASWebAuthenticationSession` (R23). It ends when the page sends the
/// browser to `lk://payment` (the custom scheme) or a universal link arrives through
/// `AppModel.returned(from:)`, or when the person closes the sheet; in every case the view model
/// then asks the core for the status, never trusting the page.
@MainActor
final class WebPaymentBrowser: NSObject, PaymentBrowser, ASWebAuthenticationPresentationContextProviding {
    private var session: ASWebAuthenticationSession?
    private var finished: CheckedContinuation<Void, Never>?

    nonisolated func open(_ page: URL, returningTo returnURL: String) async throws {
        await withCheckedContinuation { continuation in
            Task { @MainActor in self.start(page, returnURL, continuation) }
        }
    }

    private func start(_ page: URL, _ returnURL: String, _ continuation: CheckedContinuation<Void, Never>) {
        finished = continuation
        let scheme = URL(string: returnURL)?.scheme ?? "lk"
        let session = ASWebAuthenticationSession(url: page, callbackURLScheme: scheme) { [weak self] _, _ in
            Task { @MainActor in self?.finish() }
        }
        session.presentationContextProvider = self
        session.prefersEphemeralWebBrowserSession = true
        self.session = session
        if !session.start() { finish() }
    }

    /// A universal link back from the bank while the sheet is open.
    func returned(_ url: URL) {
        session?.cancel()
        finish()
    }

    private func finish() {
        session = nil
        finished?.resume()
        finished = nil
    }

    nonisolated func presentationAnchor(for session: ASWebAuthenticationSession) -> ASPresentationAnchor {
        MainActor.assumeIsolated {
            UIApplication.shared.connectedScenes.compactMap { ($0 as? UIWindowScene)?.keyWindow }.first ?? ASPresentationAnchor()
        }
    }
}
