import Foundation
import LkBindings
import LkInterface

final class CoreReadings: ReadingsService, @unchecked Sendable {
    let client: LkClient
    let readings: LkBindings.Readings
    init(_ client: LkClient) {
        self.client = client
        readings = client.readings()
    }

    func meters(number: String) async throws -> Cached<MetersOverview> {
        let cached = try await core { try await readings.meters(number: number) }
        let view = cached.value
        let meters = view.meters.map { meter in
            let start = (meter.start?.values ?? []).map { ZoneReading(zone: Zone($0.zone), value: $0.value) }
            let current = meter.current.map { $0.values.map { ZoneReading(zone: Zone($0.zone), value: $0.value) } }
            let kind = meter.meter.kind
            return MeterState(
                id: meter.meter.id, kind: LkInterface.MeterKind(kind), serial: meter.meter.serial,
                unit: LkInterface.MeasureUnit(meterKindUnit(kind: kind)), zones: meterKindZones(kind: kind).map(Zone.init),
                nextVerification: Day(meter.meter.nextVerification),
                verificationExpired: meter.verificationExpired, verificationDueSoon: meter.verificationDueSoon,
                start: start, current: current)
        }
        let overview = MetersOverview(
            today: Day(view.today), windowOpen: view.windowOpen,
            windowFirstDay: Int(view.window.firstDay), windowLastDay: Int(view.window.lastDay),
            period: view.period.map(LkInterface.Period.init), meters: meters)
        return Cached(overview, refreshedAt: cached.refreshedAt)
    }

    func check(number: String, meterId: String, values: [ZoneText]) async throws -> LkInterface.ReadingCheck {
        let check = try await core { try await readings.check(number: number, meterId: meterId, values: values.map(\.core)) }
        let findings = { (severity: Severity) in
            check.findings.filter { $0.severity == severity }.map(LkInterface.ReadingCheck.Finding.init)
        }
        return LkInterface.ReadingCheck(
            consumption: check.zones.compactMap { zone in zone.consumption.map { ZoneReading(zone: Zone(zone.zone), value: $0) } },
            refusals: findings(.refuse), toConfirm: findings(.confirm), notes: findings(.info),
            period: check.period.map(LkInterface.Period.init))
    }

    func submit(
        number: String, meterId: String, values: [ZoneText], confirmed: [LkInterface.ReadingCheck.Finding],
        photoPath: String?, recognised: Bool
    ) async throws -> OutboxItem {
        let codes = confirmed.compactMap { $0.token.value as? FindingCode }
        return OutboxItem(
            try await core {
                try await readings.submit(
                    number: number, meterId: meterId, values: values.map(\.core), confirmed: codes,
                    photoPath: photoPath, recognised: recognised)
            })
    }

    func recognise(number: String, meterId: String, zone: Zone, texts: [RecognisedText]) throws -> [Proposal] {
        try core {
            try readings.recognise(
                number: number, meterId: meterId, zone: zone.core,
                candidates: texts.map { OcrCandidate(text: $0.text, confidence: $0.confidence) })
        }.map { Proposal(value: $0.value, score: $0.score, findings: $0.findings.map(LkInterface.ReadingCheck.Finding.init)) }
    }

    func confirmRefused(item: Int64, confirmed: [LkInterface.ReadingCheck.Finding]) throws {
        try core { try readings.confirmRefused(itemId: item, confirmed: confirmed.compactMap { $0.token.value as? FindingCode }) }
    }

    func retry(item: Int64) throws { try core { try readings.retry(itemId: item) } }

    func retryWithoutPhoto(item: Int64) throws { try core { try readings.retryWithoutPhoto(itemId: item) } }

    func correct(item: Int64, values: [ZoneText], confirmed: [LkInterface.ReadingCheck.Finding]) throws {
        try core {
            try readings.correct(
                itemId: item, values: values.map(\.core), confirmed: confirmed.compactMap { $0.token.value as? FindingCode })
        }
    }

    func dismiss(item: Int64) throws { try core { try readings.dismiss(itemId: item) } }

    func outbox() -> [OutboxItem] { readings.outbox().map(OutboxItem.init) }

    func syncNow() async throws -> Int {
        Int(try await core { try await client.syncNow() }.sent)
    }
}

extension ZoneText {
    var core: ZoneInput { ZoneInput(zone: zone.core, text: text) }
}
