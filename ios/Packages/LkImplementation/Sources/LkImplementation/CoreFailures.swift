import Foundation
import LkBindings
import LkInterface

/// Every failure the core can hand the app, each with its Russian text (the core's
/// `errorTexts()`, `unknown` last), as the features receive it: the catalogue the tests check
/// every screen's refusal against.
public enum CoreFailures {
    public static var all: [LkFailure] {
        errorTexts().map { LkError.Failed(code: $0.code, text: $0.text, field: nil).failure }
    }
}
