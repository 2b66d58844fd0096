import Foundation
import LkFeatures
import LkInterface

/// What both test sets of the view models use: the routes they asked for, a fixed clock, and
/// decimals written as text.

@MainActor
public final class Routes {
    public var seen: [Route] = []
    public init() {}
    public lazy var navigate: Navigate = { [unowned self] in self.seen.append($0) }
}

public struct FixedClock: Clock {
    public var now: Date
    public init(now: Date) { self.now = now }
}

/// A decimal as written: `Decimal`'s float literals are binary-rounded (1234.56 is 1234.5599…).
public func dec(_ text: String) -> Decimal { Decimal(string: text)! }
