import Foundation

/// A screen's data and when it last came from the server; offline, the age is shown.
public struct Cached<Value: Sendable>: Sendable {
    public let value: Value
    public let refreshedAt: Date

    public init(_ value: Value, refreshedAt: Date) {
        self.value = value
        self.refreshedAt = refreshedAt
    }
}

extension Cached: Equatable where Value: Equatable {}

/// The clock the view models read (a fixed one in tests).
public protocol Clock: Sendable {
    var now: Date { get }
}

public struct SystemClock: Clock {
    public init() {}
    public var now: Date { Date() }
}

/// A core value the implementation hands out and takes back (a finding's code), opaque to the
/// features.
public struct CoreToken: Hashable, @unchecked Sendable {
    public let value: AnyHashable
    public init(_ value: AnyHashable) { self.value = value }
}
