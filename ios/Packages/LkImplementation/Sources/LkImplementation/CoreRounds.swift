import Foundation
import LkBindings
import LkInterface

final class CoreRounds: RoundsService, @unchecked Sendable {
    let rounds: LkBindings.Rounds
    init(_ rounds: LkBindings.Rounds) { self.rounds = rounds }

    func list() async throws -> Cached<[LkInterface.RoundSummary]> {
        let cached = try await core { try await rounds.list() }
        return Cached(
            cached.value.rounds.map {
                LkInterface.RoundSummary(id: $0.id, name: $0.name, stops: Int($0.stops), meters: Int($0.meters), captured: Int($0.captured))
            }, refreshedAt: cached.refreshedAt)
    }

    func download(_ id: String) async throws -> Cached<RoundRoute> {
        let cached = try await core { try await rounds.download(id: id) }
        return Cached(RoundRoute(cached.value), refreshedAt: cached.refreshedAt)
    }

    func route(_ id: String) throws -> RoundRoute {
        RoundRoute(try core { try rounds.route(id: id) })
    }

    func assess(round: String, draft: LkInterface.CaptureDraft, photos: Int) throws -> LkInterface.Assessment {
        let assessment = try core { try rounds.assess(roundId: round, draft: draft.core, photos: UInt32(max(0, photos))) }
        let status: LkInterface.Assessment.Status
        switch assessment.status {
        case .accepted: status = .accepted
        case .needsReview: status = .needsReview
        case .rejected: status = .rejected
        }
        return LkInterface.Assessment(status: status, reasons: assessment.reasons, photoNeeded: assessment.photoNeeded)
    }

    func capture(round: String, draft: LkInterface.CaptureDraft, photoPath: String?) async throws -> OutboxItem {
        OutboxItem(try await core { try await rounds.capture(roundId: round, draft: draft.core, photoPath: photoPath) })
    }

    func journal(round: String) throws -> [JournalEntry] {
        try core { try rounds.journal(roundId: round) }.map { entry in
            let state: JournalEntry.State
            switch entry.state {
            case .saved: state = .saved
            case .sent: state = .sent
            case .accepted: state = .accepted
            case .needsReview: state = .needsReview
            case .rejected: state = .rejected
            }
            return JournalEntry(
                id: entry.itemId, stop: entry.capture.stopId, meter: entry.capture.meterId,
                takenAt: entry.capture.takenAt, state: state, reasons: entry.reasons)
        }
    }

    func progress(round: String) throws -> RoundProgress {
        let progress = try core { try rounds.progress(roundId: round) }
        return RoundProgress(done: Int(progress.done), skipped: Int(progress.skipped), left: Int(progress.left))
    }
}

extension RoundRoute {
    init(_ view: RoundView) {
        self.init(
            id: view.id, name: view.name,
            stops: view.stops.map { stop in
                Stop(
                    id: stop.id, address: stop.address, entrance: Int(stop.entrance), flat: stop.flat, accessNote: stop.accessNote,
                    owner: stop.owner, cancelled: stop.cancelled,
                    meters: stop.meters.map { meter in
                        let previous = (meter.previous?.values ?? []).map { ZoneReading(zone: Zone($0.zone), value: $0.value) }
                        let expected = meter.expected.map { RouteMeter.Expected(zone: Zone($0.zone), low: $0.low, high: $0.high) }
                        return RouteMeter(
                            id: meter.meter.id, kind: LkInterface.MeterKind(meter.meter.kind), serial: meter.meter.serial,
                            zones: meterKindZones(kind: meter.meter.kind).map(Zone.init), previous: previous, expected: expected)
                    })
            })
    }
}

extension LkInterface.CaptureDraft {
    var core: LkBindings.CaptureDraft {
        let recorded: LkBindings.Recorded
        switch self.recorded {
        case .reading(let written, let values):
            recorded = .reading(serial: written.map { .differs(written: $0) } ?? .confirmed, values: values.map(\.core))
        case .skip(let reason, let note):
            recorded = .skip(reason: reason.core, note: note)
        }
        return LkBindings.CaptureDraft(
            stopId: stop, meterId: meter, recorded: recorded,
            position: position.map { LkBindings.Position(latitude: $0.latitude, longitude: $0.longitude, accuracyM: UInt32($0.accuracy)) })
    }
}

extension LkInterface.SkipReason {
    var core: LkBindings.SkipReason {
        switch self {
        case .noAccess: return .noAccess
        case .faulty: return .faulty
        case .sealBroken: return .sealBroken
        case .unreadable: return .unreadable
        case .missing: return .missing
        }
    }
}
