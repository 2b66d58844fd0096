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

/// How a screen loads what the core keeps: online it is fresh, offline the core answers from the
/// device's store and the screen says how old it is; a session gone leads to sign-in.
@MainActor
struct CachedLoad {
    let age: DataAge
    let navigate: Navigate

    init(formatting: RussianFormatting, clock: Clock, navigate: @escaping Navigate) {
        age = DataAge(formatting: formatting, clock: clock)
        self.navigate = navigate
    }

    /// The value with the notice of its age (none when fresh); none when it failed: `failed` is
    /// given the core's text, unless the person must sign in again.
    func callAsFunction<Value>(
        _ work: () async throws -> Cached<Value>, failed: (String) -> Void
    ) async -> (value: Value, notice: String?)? {
        let asked = age.clock.now
        do {
            let cached = try await work()
            return (cached.value, age.notice(cached, askedAt: asked))
        } catch {
            let failure = error.lkFailure
            if failure.kind == .signInAgain { navigate(.signIn) } else { failed(failure.text) }
            return nil
        }
    }
}
