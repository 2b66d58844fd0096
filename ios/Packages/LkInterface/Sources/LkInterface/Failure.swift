import Foundation

/// Why a call failed, as the core says it: `text` is Russian, shown as it is; `field` names the
/// form field at fault (the message goes under it); `kind` is what the screen does about it.
public struct LkFailure: Error, Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        /// No connection (or no answer in time): show what the device has, with its age.
        case offline
        /// The session is gone: back to sign-in.
        case signInAgain
        /// Refused, or bad input: the text says why.
        case refused
    }

    public let kind: Kind
    /// The core's stable code (`ErrorCode`'s case, e.g. `invalidCode`): for logs and tests only.
    public let code: String
    public let text: String
    public let field: String?

    public init(kind: Kind, code: String, text: String, field: String? = nil) {
        self.kind = kind
        self.code = code
        self.text = text
        self.field = field
    }
}

extension Error {
    /// Any error as the LK's: a foreign one (a platform service's) becomes a refusal with its text.
    public var lkFailure: LkFailure {
        self as? LkFailure ?? LkFailure(kind: .refused, code: "platform", text: localizedDescription)
    }
}
