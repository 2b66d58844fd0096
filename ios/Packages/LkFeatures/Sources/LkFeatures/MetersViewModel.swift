import Foundation
import LkInterface
import Observation

/// An account's meters (R10): whether the window for readings is open, each meter's last
/// reading, this period's if sent, and its verification date.
@MainActor
@Observable
public final class MetersViewModel {
    public struct Row: Equatable, Identifiable {
        public let id: String
        public let title: String
        public let serial: String
        /// `Последнее: 12 345,6 кВт·ч` per zone
        public let readings: [String]
        /// `Поверка до 01.12.2026`, with a warning when it ends soon or has passed.
        public let verification: String
        public let warning: String?
        public let canSubmit: Bool
        public let accessibilityLabel: String
    }

    public struct State: Equatable {
        public var window: String?
        public var rows: [Row] = []
        public var notice: String?
        public var error: String?
        public var loading = false
        public let title = "Счётчики"
    }

    public enum Action { case appear, open(meterId: String) }

    public private(set) var state = State()
    private let number: String
    private let readings: ReadingsService
    private let formatting: RussianFormatting
    private let load: CachedLoad
    private let navigate: Navigate

    public init(
        number: String, readings: ReadingsService, formatting: RussianFormatting, clock: Clock = SystemClock(),
        navigate: @escaping Navigate
    ) {
        self.number = number
        self.readings = readings
        self.formatting = formatting
        self.load = CachedLoad(formatting: formatting, clock: clock, navigate: navigate)
        self.navigate = navigate
    }

    public func send(_ action: Action) async {
        switch action {
        case .appear:
            state.loading = true
            defer { state.loading = false }
            guard let loaded = await load({ try await readings.meters(number: number) }, failed: { state.error = $0 })
            else { return }
            show(loaded.value)
            state.notice = loaded.notice
        case .open(let meterId):
            if state.rows.first(where: { $0.id == meterId })?.canSubmit == true {
                navigate(.reading(number: number, meterId: meterId))
            }
        }
    }

    private func show(_ overview: MetersOverview) {
        let days = "с \(overview.windowFirstDay) по \(overview.windowLastDay) число"
        state.window =
            overview.windowOpen
            ? "Показания принимаются \(days)" + (overview.period.map { " (за \(formatting.period($0)))" } ?? "")
            : "Показания принимаются \(days) месяца. Сейчас приём закрыт"
        state.rows = overview.meters.map { meter in
            let values = meter.current ?? meter.start
            let prefix = meter.current == nil ? "Последнее" : "Передано в этом месяце"
            let readings = values.map { value in
                (meter.zones.count > 1 ? "\(formatting.zone(value.zone)): " : "\(prefix): ")
                    + formatting.quantity(value.value, meter.unit)
            }
            let verification = "Поверка до \(formatting.date(meter.nextVerification))"
            let warning =
                meter.verificationExpired
                ? "Срок поверки истёк: показания не принимаются"
                : meter.verificationDueSoon ? "Срок поверки скоро истекает" : nil
            let title = formatting.meterKind(meter.kind)
            let spoken = ([title, "номер \(meter.serial)"] + readings + [verification, warning].compactMap { $0 })
                .joined(separator: ", ")
            return Row(
                id: meter.id, title: title, serial: "№ \(meter.serial)", readings: readings, verification: verification,
                warning: warning, canSubmit: overview.windowOpen && !meter.verificationExpired,
                accessibilityLabel: spoken)
        }
    }
}
