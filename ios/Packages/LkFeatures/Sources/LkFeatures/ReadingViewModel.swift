import Foundation
import LkInterface
import Observation

/// Entering a meter's reading (R11, R12, R21): a value per zone (typed, or chosen from the core's
/// proposals for a dial photo), the core's checks, the confirmation of what they found, and the
/// submission through the outbox (sent now, or when the connection is back).
@MainActor
@Observable
public final class ReadingViewModel {
    public struct Field: Equatable, Identifiable {
        public let id: Zone
        public let title: String
        public var text: String
        /// `Предыдущее: 12 345,6 кВт·ч`
        public let previous: String?
        public var proposals: [String] = []
    }

    public enum Step: Equatable {
        case entry
        /// The core found what the person must confirm: its messages, then «Подтвердить».
        case confirm
        /// Queued (and maybe sent already): the message says which.
        case done
    }

    public struct State: Equatable {
        public var title = "Показания"
        public var fields: [Field] = []
        public var step = Step.entry
        /// Why the reading cannot be sent as typed (the core's messages).
        public var refusals: [String] = []
        public var toConfirm: [String] = []
        public var notes: [String] = []
        /// `Расход: 150 кВт·ч`
        public var consumption: [String] = []
        public var message: String?
        public var error: String?
        public var busy = false
        public var photoAttached = false
        public var canCheck: Bool { step == .entry && !busy && fields.allSatisfy { !$0.text.trimmingCharacters(in: .whitespaces).isEmpty } }
        public let checkTitle = "Проверить и отправить"
        public let confirmTitle = "Подтвердить и отправить"
        public let photoTitle = "Сфотографировать счётчик"
    }

    public enum Action {
        case appear
        case setValue(Zone, String)
        /// A photo of the dial and the texts the phone's recogniser read off it.
        case photo(path: String, texts: [RecognisedText])
        case choose(Zone, proposal: Int)
        case check, confirm, edit, close
    }

    public private(set) var state = State()
    private let number: String
    private let meterId: String
    private let readings: ReadingsService
    private let formatting: RussianFormatting
    private let navigate: Navigate
    private var meter: MeterState?
    private var findings: [ReadingCheck.Finding] = []
    private var photoPath: String?
    private var proposals: [Zone: [Proposal]] = [:]
    private var recognised = false

    public init(
        number: String, meterId: String, readings: ReadingsService, formatting: RussianFormatting,
        navigate: @escaping Navigate
    ) {
        self.number = number
        self.meterId = meterId
        self.readings = readings
        self.formatting = formatting
        self.navigate = navigate
    }

    public func send(_ action: Action) async {
        switch action {
        case .appear:
            do {
                let overview = try await readings.meters(number: number).value
                guard let meter = overview.meters.first(where: { $0.id == meterId }) else {
                    state.error = "Счётчик не найден"
                    return
                }
                self.meter = meter
                state.title = "\(Wording.meter(meter.kind)), № \(meter.serial)"
                state.fields = meter.zones.map { zone in
                    let previous = meter.start.first { $0.zone == zone }
                    return Field(
                        id: zone, title: Wording.zone(zone), text: "",
                        previous: previous.map { "Предыдущее: \(formatting.reading($0.value, meter.unit))" })
                }
            } catch {
                state.error = error.lkFailure.text
            }
        case .setValue(let zone, let text):
            set(zone, text)
            recognised = false
        case .photo(let path, let texts):
            photoPath = path
            state.photoAttached = true
            for index in state.fields.indices {
                let zone = state.fields[index].id
                do {
                    let found = try readings.recognise(number: number, meterId: meterId, zone: zone, texts: texts)
                    proposals[zone] = found
                    state.fields[index].proposals = found.map { formatting.number($0.value) }
                } catch {
                    state.error = error.lkFailure.text
                }
            }
            if state.fields.allSatisfy({ $0.proposals.isEmpty }) {
                state.message = "На фото не удалось прочитать показания: введите их вручную, фото будет приложено"
            }
        case .choose(let zone, let index):
            guard let proposal = proposals[zone]?[safe: index] else { return }
            set(zone, formatting.number(proposal.value))
            recognised = true
        case .check:
            await check()
        case .confirm:
            guard state.step == .confirm else { return }
            await submit(confirmed: findings)
        case .edit:
            state.step = .entry
            state.toConfirm = []
        case .close:
            navigate(.meters(number: number))
        }
    }

    private func set(_ zone: Zone, _ text: String) {
        guard let index = state.fields.firstIndex(where: { $0.id == zone }) else { return }
        state.fields[index].text = text
        state.refusals = []
        state.error = nil
    }

    private var values: [ZoneText] { state.fields.map { ZoneText(zone: $0.id, text: $0.text) } }

    private func check() async {
        guard state.canCheck, let meter else { return }
        state.busy = true
        defer { state.busy = false }
        do {
            let check = try await readings.check(number: number, meterId: meterId, values: values)
            state.refusals = check.refusals.map(\.message)
            state.toConfirm = check.toConfirm.map(\.message)
            state.notes = check.notes.map(\.message)
            state.consumption = check.consumption.map { use in
                (meter.zones.count > 1 ? "Расход, \(Wording.zone(use.zone)): " : "Расход: ") + formatting.reading(use.value, meter.unit)
            }
            guard check.refusals.isEmpty else { return }
            findings = check.toConfirm
            if check.toConfirm.isEmpty {
                await submit(confirmed: [])
            } else {
                state.step = .confirm
            }
        } catch {
            state.error = error.lkFailure.text
        }
    }

    private func submit(confirmed: [ReadingCheck.Finding]) async {
        state.busy = true
        defer { state.busy = false }
        do {
            let queued = try await readings.submit(
                number: number, meterId: meterId, values: values, confirmed: confirmed,
                photoPath: photoPath, recognised: recognised)
            // Sent now if the service can be reached; the outbox says what became of it.
            _ = try? await readings.syncNow()
            let item = readings.outbox().first { $0.id == queued.id } ?? queued
            state.step = .done
            switch item.state {
            case .sent: state.message = "Спасибо, ваши показания приняты"
            case .queued: state.message = "Показания сохранены на телефоне и будут отправлены, когда появится связь"
            case .needsAction: state.message = item.refusal ?? "Показания не приняты"
            }
        } catch {
            state.error = error.lkFailure.text
            state.step = .entry
        }
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
