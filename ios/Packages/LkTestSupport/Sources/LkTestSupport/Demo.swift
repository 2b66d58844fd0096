import Foundation

/// The person's side of the demo: what they read on the demo pages (the CAPTCHA's digits, the
/// SMS and e-mail outbox, accounts free to register) and do in the browser.
public struct Demo: Sendable {
    public let service: TestService

    public init(_ service: TestService) { self.service = service }

    /// The digits on the CAPTCHA picture `id`.
    public func captchaAnswer(_ id: String) throws -> String {
        try string(try json("/demo/captcha/\(id)"), "answer")
    }

    /// The six-digit code in the newest message to `recipient` (a phone `+7…` or an e-mail).
    public func codeSentTo(_ recipient: String) throws -> String {
        let query = recipient.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? recipient
        guard let messages = try json("/demo/outbox?recipient=\(query)") as? [[String: Any]],
            let body = messages.first?["body"] as? String
        else {
            throw TestSupportError("no message to \(recipient)")
        }
        guard let match = body.range(of: #"\b\d{6}\b"#, options: .regularExpression) else {
            throw TestSupportError("no code in «\(body)»")
        }
        return String(body[match])
    }

    /// Accounts no profile has registered yet, each with the "Итого к оплате" that proves it (R3).
    public func freeAccounts() throws -> [(number: String, proof: String)] {
        guard let accounts = try json("/demo/accounts") as? [[String: Any]] else {
            throw TestSupportError("no free accounts")
        }
        return accounts.compactMap { account in
            guard let number = account["number"] as? String, let proof = account["latest_document_total"] as? String,
                !proof.isEmpty
            else { return nil }
            return (number, proof)
        }
    }

    /// Pays on the sandbox acquirer's page at `url` as a person would, with
    /// tests/support's `lk-sandbox-browser` (`LK_SANDBOX_BROWSER`); answers what it printed.
    public func payOnAcquirerPage(_ url: String, card: String = "4111 1111 1111 1111") throws -> String {
        guard let browser = ProcessInfo.processInfo.environment["LK_SANDBOX_BROWSER"] else {
            throw TestSupportError("LK_SANDBOX_BROWSER is not set: the path of lk-sandbox-browser built on the host")
        }
        let process = Process()
        let output = Pipe()
        process.executableURL = URL(fileURLWithPath: browser)
        process.arguments = [url, card]
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw TestSupportError("the sandbox browser failed: \(printed)") }
        return printed
    }

    private func json(_ path: String) throws -> Any {
        let answer = try HTTP.get("\(service.url)/api/v1\(path)")
        guard answer.status == 200 else { throw TestSupportError("\(path): \(answer.status) \(answer.body)") }
        return try JSONSerialization.jsonObject(with: Data(answer.body.utf8))
    }

    private func string(_ json: Any, _ field: String) throws -> String {
        guard let value = (json as? [String: Any])?[field] as? String else {
            throw TestSupportError("no \"\(field)\" in \(json)")
        }
        return value
    }
}
