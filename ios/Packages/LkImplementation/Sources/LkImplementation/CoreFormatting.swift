import Foundation
import LkBindings
import LkInterface

/// Russian as the core writes it, through its exported formatters.
public struct CoreFormatting: RussianFormatting {
    public init() {}

    /// An amount of more than two decimals is not money; the core refuses it, and the number is
    /// shown as the core writes numbers rather than crash a screen.
    public func money(_ amount: Decimal) -> String {
        (try? moneyRu(amount: amount)) ?? numberRu(value: amount)
    }
    public func date(_ day: Day) -> String { dateRu(day: day.iso) }
    public func period(_ period: LkInterface.Period) -> String { periodRu(period: period.code) }
    public func zone(_ zone: Zone) -> String { zoneRu(zone: zone.core) }
    public func meterKind(_ kind: LkInterface.MeterKind) -> String { meterKindRu(kind: kind.core) }
    public func skipReason(_ reason: LkInterface.SkipReason) -> String { skipReasonRu(reason: reason.core) }
    public func age(since: Date, now: Date) -> String { ageRu(since: since, now: now) }
    public func number(_ value: Decimal) -> String { numberRu(value: value) }
    public func quantity(_ value: Decimal, _ unit: LkInterface.MeasureUnit) -> String { quantityRu(value: value, unit: unit.core) }
    public func count(_ count: Int, _ noun: Noun) -> String {
        countRu(count: Int64(count), one: noun.one, few: noun.few, many: noun.many)
    }
    public func plural(_ count: Int, _ noun: Noun) -> String {
        pluralRu(count: Int64(count), one: noun.one, few: noun.few, many: noun.many)
    }
    public var supportContacts: String { LkBindings.supportContacts() }
}
