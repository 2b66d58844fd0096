import Foundation
import LkInterface
import Observation

/// A stop of a round (R24): each meter's previous reading and the range expected today, and its
/// capture: the serial confirmed or the one written on it, a value per zone, or a skip with its
/// reason; the core judges it as it is typed (a photo asked for when that is what it lacks), and
/// the capture is saved on the phone and sent when there is a connection.
@MainActor
@Observable
public final class CaptureViewModel {
    public struct MeterRow: Equatable, Identifiable {
        public let id: String
        public let title: String
        public let previous: [String]
        /// `Ожидается от 12 345 до 12 600`
        public let expected: [String]
    }

    public struct State: Equatable {
        public var title = ""
        public var note: String?
        public var meters: [MeterRow] = []
        public var meter: String?
        public var zones: [Zone] = []
        public var values: [Zone: String] = [:]
        public var serialDiffers = false
        public var writtenSerial = ""
        public var skip: SkipReason?
        public var skipNote = ""
        public var photoPath: String?
        /// The core's verdict so far: `Будет принято`, or its reasons.
        public var verdict: String?
        public var reasons: [String] = []
        public var photoNeeded = false
        public var canSave = false
        public var message: String?
        public var error: String?
        /// The core's reasons, `Нет доступа` first.
        public var skipReasons: [SkipChoice] = []
        public let saveTitle = "Сохранить"
        public let photoTitle = "Сфотографировать счётчик"

    }

    public struct SkipChoice: Equatable, Identifiable {
        public let id: SkipReason
        public let title: String
    }

    public enum Action {
        case appear, choose(meter: String)
        case setValue(Zone, String)
        case serialDiffers(written: String?)
        case skip(SkipReason?, note: String)
        case photo(path: String)
        case save
    }

    public private(set) var state = State()
    private let round: String
    private let stop: String
    private let rounds: RoundsService
    private let formatting: RussianFormatting
    private let position: @Sendable () -> Position?

    public init(
        round: String, stop: String, rounds: RoundsService, formatting: RussianFormatting,
        position: @escaping @Sendable () -> Position?
    ) {
        self.round = round
        self.stop = stop
        self.rounds = rounds
        self.formatting = formatting
        self.position = position
        state.skipReasons = SkipReason.allCases.map { SkipChoice(id: $0, title: formatting.skipReason($0).capitalizedFirst) }
    }

    public func send(_ action: Action) async {
        switch action {
        case .appear:
            do {
                guard let stop = try rounds.route(round).stops.first(where: { $0.id == self.stop }) else {
                    state.error = "Остановка не найдена на маршруте"
                    return
                }
                state.title = "\(stop.address), кв. \(stop.flat)"
                state.note = stop.accessNote.isEmpty ? nil : stop.accessNote
                state.meters = stop.meters.map { meter in
                    let zone = { (zone: Zone) in meter.zones.count > 1 ? ", \(self.formatting.zone(zone))" : "" }
                    return MeterRow(
                        id: meter.id, title: "\(formatting.meterKind(meter.kind)), № \(meter.serial)",
                        previous: meter.previous.map { "Предыдущее\(zone($0.zone)): \(formatting.number($0.value))" },
                        expected: meter.expected.map {
                            "Ожидается\(zone($0.zone)): от \(formatting.number($0.low)) до \(formatting.number($0.high))"
                        })
                }
                if let first = stop.meters.first { choose(first) }
            } catch {
                state.error = error.lkFailure.text
            }
        case .choose(let id):
            if let meter = try? rounds.route(round).stops.first(where: { $0.id == stop })?.meters.first(where: { $0.id == id }) {
                choose(meter)
            }
        case .setValue(let zone, let text):
            state.values[zone] = text
            assess()
        case .serialDiffers(let written):
            state.serialDiffers = written != nil
            state.writtenSerial = written ?? ""
            assess()
        case .skip(let reason, let note):
            state.skip = reason
            state.skipNote = note
            assess()
        case .photo(let path):
            state.photoPath = path
            assess()
        case .save:
            guard state.canSave, let draft = draft() else { return }
            do {
                let item = try await rounds.capture(round: round, draft: draft, photoPath: state.photoPath)
                state.message = item.state == .sent ? "Снятие отправлено" : "Снятие сохранено на телефоне и будет отправлено"
                state.values = [:]
                state.photoPath = nil
                state.skip = nil
            } catch {
                state.error = error.lkFailure.text
            }
        }
    }

    private func choose(_ meter: RouteMeter) {
        state.meter = meter.id
        state.zones = meter.zones
        state.values = [:]
        state.skip = nil
        state.serialDiffers = false
        state.photoPath = nil
        state.message = nil
        state.verdict = nil
        state.reasons = []
        state.canSave = false
    }

    private func draft() -> CaptureDraft? {
        guard let meter = state.meter else { return nil }
        let recorded: CaptureDraft.Recorded
        if let reason = state.skip {
            recorded = .skip(reason, note: state.skipNote)
        } else {
            guard state.zones.allSatisfy({ !(state.values[$0] ?? "").isEmpty }) else { return nil }
            recorded = .reading(
                writtenSerial: state.serialDiffers ? state.writtenSerial : nil,
                values: state.zones.map { ZoneText(zone: $0, text: state.values[$0] ?? "") })
        }
        return CaptureDraft(stop: stop, meter: meter, recorded: recorded, position: position())
    }

    /// The core's judgement as the reader types.
    private func assess() {
        state.error = nil
        state.message = nil
        guard let draft = draft() else {
            state.verdict = nil
            state.reasons = []
            state.canSave = false
            return
        }
        do {
            let assessment = try rounds.assess(round: round, draft: draft, photos: state.photoPath == nil ? 0 : 1)
            state.reasons = assessment.reasons
            state.photoNeeded = assessment.photoNeeded
            switch assessment.status {
            case .accepted: state.verdict = "Будет принято"
            case .needsReview: state.verdict = "Будет передано на проверку в офис"
            case .rejected: state.verdict = assessment.photoNeeded ? "Нужно фото счётчика" : "Не будет принято"
            }
            state.canSave = assessment.status != .rejected
        } catch {
            state.error = error.lkFailure.text
            state.canSave = false
        }
    }

}
