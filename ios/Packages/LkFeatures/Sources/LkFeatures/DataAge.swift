import Foundation
import LkInterface

/// How old the data on screen is, in words, shown when it could not be refreshed (offline).
public struct DataAge: Sendable {
    let formatting: RussianFormatting
    let clock: Clock

    public init(formatting: RussianFormatting, clock: Clock) {
        self.formatting = formatting
        self.clock = clock
    }

    /// `Нет связи. Данные обновлены 5 минут назад`
    public func offlineNotice(refreshedAt: Date) -> String {
        "Нет связи. Данные обновлены \(ago(refreshedAt))"
    }

    /// The notice for an answer asked for at `askedAt`: none when it is that fresh, the age when
    /// the core answered from the device's store (it does when the service cannot be reached).
    public func notice<Value>(_ cached: Cached<Value>, askedAt: Date) -> String? {
        cached.refreshedAt < askedAt.addingTimeInterval(-1) ? offlineNotice(refreshedAt: cached.refreshedAt) : nil
    }

    /// `5 минут назад`, as the core words it.
    public func ago(_ date: Date) -> String {
        formatting.age(since: date, now: clock.now)
    }
}
