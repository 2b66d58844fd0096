import Foundation

/// A meter reader's rounds (R24): routes downloaded for work without a connection, captures judged
/// by the core on the device and queued, and the journal of what the service made of them.
public protocol RoundsService: Sendable {
    /// The reader's routes; offline, the list last seen.
    func list() async throws -> Cached<[RoundSummary]>
    /// The whole route, kept on the device.
    func download(_ id: String) async throws -> Cached<RoundRoute>
    /// The route as downloaded last, without the network.
    func route(_ id: String) throws -> RoundRoute
    /// What the service will make of the capture with `photos` taken (the core's judgement).
    func assess(round: String, draft: CaptureDraft, photos: Int) throws -> Assessment
    /// Saves and queues the capture with its photo; what the service would reject is refused.
    func capture(round: String, draft: CaptureDraft, photoPath: String?) async throws -> OutboxItem
    func journal(round: String) throws -> [JournalEntry]
    func progress(round: String) throws -> RoundProgress
}

public struct RoundSummary: Equatable, Sendable, Identifiable {
    public let id: String
    public let name: String
    public let stops: Int
    public let meters: Int
    public let captured: Int
    public init(id: String, name: String, stops: Int, meters: Int, captured: Int) {
        self.id = id
        self.name = name
        self.stops = stops
        self.meters = meters
        self.captured = captured
    }
}

public struct RoundRoute: Equatable, Sendable {
    public struct Stop: Equatable, Sendable, Identifiable {
        public let id: String
        public let address: String
        public let entrance: Int
        public let flat: String
        public let accessNote: String
        public let owner: String
        public let cancelled: Bool
        public let meters: [RouteMeter]
        public init(
            id: String, address: String, entrance: Int, flat: String, accessNote: String, owner: String,
            cancelled: Bool, meters: [RouteMeter]
        ) {
            self.id = id
            self.address = address
            self.entrance = entrance
            self.flat = flat
            self.accessNote = accessNote
            self.owner = owner
            self.cancelled = cancelled
            self.meters = meters
        }
    }

    public let id: String
    public let name: String
    public let stops: [Stop]
    public init(id: String, name: String, stops: [Stop]) {
        self.id = id
        self.name = name
        self.stops = stops
    }
}

public struct RouteMeter: Equatable, Sendable, Identifiable {
    /// Where a zone's reading is expected today (the core's range; `high` below `low` wraps
    /// through the dial's zero).
    public struct Expected: Equatable, Sendable {
        public let zone: Zone
        public let low: Decimal
        public let high: Decimal
        public init(zone: Zone, low: Decimal, high: Decimal) {
            self.zone = zone
            self.low = low
            self.high = high
        }
    }

    public let id: String
    public let kind: MeterKind
    public let serial: String
    public let zones: [Zone]
    public let previous: [ZoneReading]
    public let expected: [Expected]
    public init(id: String, kind: MeterKind, serial: String, zones: [Zone], previous: [ZoneReading], expected: [Expected]) {
        self.id = id
        self.kind = kind
        self.serial = serial
        self.zones = zones
        self.previous = previous
        self.expected = expected
    }
}

public enum SkipReason: CaseIterable, Hashable, Sendable { case noAccess, faulty, sealBroken, unreadable, missing }

/// What the reader records at a stop, as the capture screen fills it in.
public struct CaptureDraft: Equatable, Sendable {
    public enum Recorded: Equatable, Sendable {
        /// `writtenSerial`: what the meter shows when it is not the route's number.
        case reading(writtenSerial: String?, values: [ZoneText])
        case skip(SkipReason, note: String)
    }

    public let stop: String
    public let meter: String
    public let recorded: Recorded
    /// None: the phone had no fix.
    public let position: Position?

    public init(stop: String, meter: String, recorded: Recorded, position: Position?) {
        self.stop = stop
        self.meter = meter
        self.recorded = recorded
        self.position = position
    }
}

/// Where the phone was, with its accuracy in metres.
public struct Position: Equatable, Sendable {
    public let latitude: Decimal
    public let longitude: Decimal
    public let accuracy: Int
    public init(latitude: Decimal, longitude: Decimal, accuracy: Int) {
        self.latitude = latitude
        self.longitude = longitude
        self.accuracy = accuracy
    }
}

/// The core's judgement of a capture before it is saved.
public struct Assessment: Equatable, Sendable {
    public enum Status: Equatable, Sendable { case accepted, needsReview, rejected }
    public let status: Status
    /// Why, in the core's Russian.
    public let reasons: [String]
    /// A photo of the dial is what it lacks.
    public let photoNeeded: Bool
    public init(status: Status, reasons: [String], photoNeeded: Bool) {
        self.status = status
        self.reasons = reasons
        self.photoNeeded = photoNeeded
    }
}

public struct JournalEntry: Equatable, Sendable, Identifiable {
    public enum State: Equatable, Sendable { case saved, sent, accepted, needsReview, rejected }
    public let id: Int64
    public let stop: String
    public let meter: String?
    public let takenAt: Date
    public let state: State
    public let reasons: [String]
    public init(id: Int64, stop: String, meter: String?, takenAt: Date, state: State, reasons: [String]) {
        self.id = id
        self.stop = stop
        self.meter = meter
        self.takenAt = takenAt
        self.state = state
        self.reasons = reasons
    }
}

public struct RoundProgress: Equatable, Sendable {
    public let done: Int
    public let skipped: Int
    public let left: Int
    public init(done: Int, skipped: Int, left: Int) {
        self.done = done
        self.skipped = skipped
        self.left = left
    }
}
