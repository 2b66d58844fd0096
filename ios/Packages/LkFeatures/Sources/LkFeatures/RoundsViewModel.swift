import Foundation
import LkInterface
import Observation

/// The meter reader's routes (R24): each with its progress; opening one downloads it for work
/// without a connection, then its stops in order, and how many captures wait to be sent.
@MainActor
@Observable
public final class RoundsViewModel {
    public struct RoundRow: Equatable, Identifiable {
        public let id: String
        public let title: String
        /// `200 квартир, 350 счётчиков`
        public let size: String
    }

    public struct StopRow: Equatable, Identifiable {
        public let id: String
        public let title: String
        public let note: String?
        public let meters: String
        public let cancelled: Bool
    }

    public struct State: Equatable {
        public var rounds: [RoundRow] = []
        public var open: String?
        public var title = "Маршруты обхода"
        public var stops: [StopRow] = []
        /// `Снято 12, пропущено 1, осталось 187`
        public var progress: String?
        /// `Не отправлено: 3 снятия` or `Всё отправлено`
        public var sync: String?
        public var notice: String?
        public var error: String?
        public var loading = false
    }

    public enum Action { case appear, open(round: String), stop(String), refreshStatus }

    public private(set) var state = State()
    private let rounds: RoundsService
    private let formatting: RussianFormatting
    private let load: CachedLoad
    private let navigate: Navigate

    public init(rounds: RoundsService, formatting: RussianFormatting, clock: Clock = SystemClock(), navigate: @escaping Navigate) {
        self.rounds = rounds
        self.formatting = formatting
        self.load = CachedLoad(formatting: formatting, clock: clock, navigate: navigate)
        self.navigate = navigate
    }

    public func send(_ action: Action) async {
        switch action {
        case .appear:
            state.loading = true
            defer { state.loading = false }
            guard let list = await load({ try await rounds.list() }, failed: { state.error = $0 }) else { return }
            state.notice = list.notice
            state.rounds = list.value.map { round in
                RoundRow(
                    id: round.id, title: round.name,
                    size: "\(formatting.count(round.stops, Noun("квартира", "квартиры", "квартир"))), "
                        + formatting.count(round.meters, Noun("счётчик", "счётчика", "счётчиков")))
            }
        case .open(let id):
            let loaded = await load(
                { try await rounds.download(id) },
                failed: { text in
                    // Not downloaded now: the route kept from before, else nothing to walk.
                    if let route = try? rounds.route(id) { show(route) } else { state.error = text }
                })
            if let loaded {
                state.notice = loaded.notice
                show(loaded.value)
            }
        case .stop(let stop):
            if let round = state.open, state.stops.first(where: { $0.id == stop })?.cancelled == false {
                navigate(.stop(round: round, stop: stop))
            }
        case .refreshStatus:
            status()
        }
    }

    private func show(_ route: RoundRoute) {
        state.open = route.id
        state.title = route.name
        state.error = nil
        state.stops = route.stops.map { stop in
            StopRow(
                id: stop.id, title: "\(stop.address), подъезд \(stop.entrance), кв. \(stop.flat)",
                note: stop.accessNote.isEmpty ? nil : stop.accessNote,
                meters: formatting.count(stop.meters.count, Noun("счётчик", "счётчика", "счётчиков")),
                cancelled: stop.cancelled)
        }
        status()
    }

    private func status() {
        guard let round = state.open else { return }
        do {
            let progress = try rounds.progress(round: round)
            state.progress = "Снято \(progress.done), пропущено \(progress.skipped), осталось \(progress.left)"
            let waiting = try rounds.journal(round: round).filter { $0.state == .saved }.count
            state.sync =
                waiting == 0
                ? "Всё отправлено"
                : "Не отправлено: " + formatting.count(waiting, Noun("снятие", "снятия", "снятий"))
        } catch {
            state.error = error.lkFailure.text
        }
    }
}
