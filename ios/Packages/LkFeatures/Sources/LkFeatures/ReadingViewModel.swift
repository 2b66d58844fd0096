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
        /// The service refused it: the message says why; it can be sent again (without its photo),
        /// corrected, or given up.
        case refused
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
        /// The refused reading's photo can be left out when it is sent again.
        public var canRetryWithoutPhoto = false
        public let retryTitle = "Отправить ещё раз"
        public let retryWithoutPhotoTitle = "Отправить без фото"
        public let correctTitle = "Исправить показания"
        public let dismissTitle = "Удалить показания"
    }

    public enum Action {
        case appear
        case setValue(Zone, String)
        /// A photo of the dial and the texts the phone's recogniser read off it.
        case photo(path: String, texts: [RecognisedText])
        case choose(Zone, proposal: Int)
        case check, confirm, edit, close
        /// What to do with a reading the service refused (step `refused`).
        case retry, retryWithoutPhoto, correct, dismiss
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
    /// The outbox item of the reading made here, once queued.
    private var item: Int64?
    /// Correcting the refused item: the next submission replaces it.
    private var correcting = false

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
                state.title = "\(formatting.meterKind(meter.kind)), № \(meter.serial)"
                state.fields = meter.zones.map { zone in
                    let previous = meter.start.first { $0.zone == zone }
                    return Field(
                        id: zone, title: formatting.zone(zone), text: "",
                        previous: previous.map { "Предыдущее: \(formatting.quantity($0.value, meter.unit))" })
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
        case .retry:
            await resend { try self.readings.retry(item: $0) }
        case .retryWithoutPhoto:
            guard state.canRetryWithoutPhoto else { return }
            await resend { try self.readings.retryWithoutPhoto(item: $0) }
            photoPath = nil
            state.photoAttached = false
        case .correct:
            guard state.step == .refused else { return }
            correcting = true
            state.step = .entry
            state.message = nil
            state.toConfirm = []
        case .dismiss:
            guard state.step == .refused, let item else { return }
            do {
                try readings.dismiss(item: item)
                navigate(.meters(number: number))
            } catch {
                state.error = error.lkFailure.text
            }
        }
    }

    /// The refused item sent again as `how` changes it, then its fate.
    private func resend(_ how: (Int64) throws -> Void) async {
        guard state.step == .refused, let item else { return }
        state.busy = true
        defer { state.busy = false }
        do {
            try how(item)
            await show(outcomeOf: item)
        } catch {
            state.error = error.lkFailure.text
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
                (meter.zones.count > 1 ? "Расход, \(formatting.zone(use.zone)): " : "Расход: ") + formatting.quantity(use.value, meter.unit)
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
            if correcting, let item {
                try readings.correct(item: item, values: values, confirmed: confirmed)
                correcting = false
            } else {
                item =
                    try await readings.submit(
                        number: number, meterId: meterId, values: values, confirmed: confirmed,
                        photoPath: photoPath, recognised: recognised
                    ).id
            }
            if let item { await show(outcomeOf: item) }
        } catch {
            state.error = error.lkFailure.text
            state.step = .entry
        }
    }

    /// Sent now if the service can be reached; the outbox says what became of it.
    private func show(outcomeOf item: Int64) async {
        _ = try? await readings.syncNow()
        let entry = readings.outbox().first { $0.id == item }
        state.error = nil
        switch entry?.state {
        case .sent:
            state.step = .done
            state.message = "Спасибо, ваши показания приняты"
        case .queued, nil:
            state.step = .done
            state.message = "Показания сохранены на телефоне и будут отправлены, когда появится связь"
        case .needsAction:
            state.step = .refused
            state.message = entry?.refusal ?? "Показания не приняты"
            state.canRetryWithoutPhoto = entry?.hasPhoto == true
        }
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
