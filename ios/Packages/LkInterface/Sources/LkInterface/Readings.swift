import Foundation

/// Meters and readings (R10–R12, R21); a reading goes through the device's outbox, so it is
/// never lost offline and never sent twice.
public protocol ReadingsService: Sendable {
    func meters(number: String) async throws -> Cached<MetersOverview>
    /// What the core's checks find in the typed values (offline: from the stored meters).
    func check(number: String, meterId: String, values: [ZoneText]) async throws -> ReadingCheck
    /// Queues the reading with the findings the person confirmed and the dial's photo.
    func submit(
        number: String, meterId: String, values: [ZoneText], confirmed: [ReadingCheck.Finding],
        photoPath: String?, recognised: Bool
    ) async throws -> OutboxItem
    /// R21: readings proposed from the texts the phone read off the dial, best first.
    func recognise(number: String, meterId: String, zone: Zone, texts: [RecognisedText]) throws -> [Proposal]
    /// A refused reading confirmed after all, sent again.
    func confirmRefused(item: Int64, confirmed: [ReadingCheck.Finding]) throws
    /// A refused item sent again as it is (the cause was put right elsewhere).
    func retry(item: Int64) throws
    /// A refused reading sent again without its photo (the photo was refused, or is gone).
    func retryWithoutPhoto(item: Int64) throws
    /// A refused reading with the corrected values (and the findings confirmed for them): a new
    /// action with a new idempotency key, in the same item.
    func correct(item: Int64, values: [ZoneText], confirmed: [ReadingCheck.Finding]) throws
    /// A sent or refused item removed, with its photo.
    func dismiss(item: Int64) throws
    func outbox() -> [OutboxItem]
    /// Sends what waits now; how many went.
    func syncNow() async throws -> Int
}

public enum Zone: Hashable, Sendable { case single, day, night, peak, semiPeak }

public enum MeterKind: Hashable, Sendable {
    case electricitySingle, electricityTwoZone, electricityThreeZone, coldWater, hotWater, gas, heat
}

public struct ZoneText: Equatable, Sendable {
    public let zone: Zone
    public let text: String
    public init(zone: Zone, text: String) {
        self.zone = zone
        self.text = text
    }
}

public struct ZoneReading: Equatable, Sendable {
    public let zone: Zone
    public let value: Decimal
    public init(zone: Zone, value: Decimal) {
        self.zone = zone
        self.value = value
    }
}

public struct MeterState: Equatable, Sendable, Identifiable {
    public let id: String
    public let kind: MeterKind
    public let serial: String
    /// The unit its readings are in (the core's `MeterKind.unit`).
    public let unit: MeasureUnit
    /// The zones a reading carries, in the dial's order (the core's `MeterKind.zones`).
    public let zones: [Zone]
    public let nextVerification: Day
    public let verificationExpired: Bool
    public let verificationDueSoon: Bool
    /// The last reading accepted before this period, and this period's, if sent.
    public let start: [ZoneReading]
    public let current: [ZoneReading]?

    public init(
        id: String, kind: MeterKind, serial: String, unit: MeasureUnit, zones: [Zone], nextVerification: Day,
        verificationExpired: Bool, verificationDueSoon: Bool, start: [ZoneReading], current: [ZoneReading]?
    ) {
        self.id = id
        self.kind = kind
        self.serial = serial
        self.unit = unit
        self.zones = zones
        self.nextVerification = nextVerification
        self.verificationExpired = verificationExpired
        self.verificationDueSoon = verificationDueSoon
        self.start = start
        self.current = current
    }
}

public struct MetersOverview: Equatable, Sendable {
    public let today: Day
    public let windowOpen: Bool
    /// The window's days of the month (R10).
    public let windowFirstDay: Int
    public let windowLastDay: Int
    /// The period a reading sent now counts for.
    public let period: Period?
    public let meters: [MeterState]

    public init(today: Day, windowOpen: Bool, windowFirstDay: Int, windowLastDay: Int, period: Period?, meters: [MeterState]) {
        self.today = today
        self.windowOpen = windowOpen
        self.windowFirstDay = windowFirstDay
        self.windowLastDay = windowLastDay
        self.period = period
        self.meters = meters
    }
}

/// The core's judgement of a typed reading (R11, R12).
public struct ReadingCheck: Equatable, Sendable {
    public struct Finding: Equatable, Sendable {
        /// The core's stable code (`FindingCode`'s case): for tests and logs.
        public let code: String
        public let zone: Zone?
        /// The core's Russian message.
        public let message: String
        /// The core's own code, handed back when the person confirms the finding.
        public let token: CoreToken
        public init(code: String, zone: Zone?, message: String, token: CoreToken? = nil) {
            self.code = code
            self.zone = zone
            self.message = message
            self.token = token ?? CoreToken(code)
        }
    }

    /// The use of each zone since the start reading, when it could be computed.
    public let consumption: [ZoneReading]
    /// Findings that stop the reading as typed.
    public let refusals: [Finding]
    /// Findings the person must confirm to send it.
    public let toConfirm: [Finding]
    /// Said, nothing to do.
    public let notes: [Finding]
    public let period: Period?

    public init(consumption: [ZoneReading], refusals: [Finding], toConfirm: [Finding], notes: [Finding], period: Period?) {
        self.consumption = consumption
        self.refusals = refusals
        self.toConfirm = toConfirm
        self.notes = notes
        self.period = period
    }
}

/// A text a recogniser read off a dial photo (R21), with its confidence 0…1.
public struct RecognisedText: Equatable, Sendable {
    public let text: String
    public let confidence: Float
    public init(text: String, confidence: Float) {
        self.text = text
        self.confidence = confidence
    }
}

/// A reading the core proposes from a photo.
public struct Proposal: Equatable, Sendable {
    public let value: Decimal
    public let score: Float
    public let findings: [ReadingCheck.Finding]
    public init(value: Decimal, score: Float, findings: [ReadingCheck.Finding]) {
        self.value = value
        self.score = score
        self.findings = findings
    }
}

/// An action made on this device (a reading, a document by e-mail…): waiting, sent or refused.
public struct OutboxItem: Equatable, Sendable, Identifiable {
    public enum State: Equatable, Sendable { case queued, sent, needsAction }
    public let id: Int64
    public let title: String
    public let createdAt: Date
    public let state: State
    /// Why the service refused it.
    public let refusal: String?
    public let hasPhoto: Bool

    public init(id: Int64, title: String, createdAt: Date, state: State, refusal: String?, hasPhoto: Bool) {
        self.id = id
        self.title = title
        self.createdAt = createdAt
        self.state = state
        self.refusal = refusal
        self.hasPhoto = hasPhoto
    }
}
