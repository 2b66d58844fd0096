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
    /// `10.2026` until the core exports its month names (`LkInterface.Period::name_ru`, asked for in
    /// ios/README.md); the text is only the core's month rearranged, no calendar rule.
    public func period(_ period: LkInterface.Period) -> String {
        let parts = period.code.split(separator: "-")
        return parts.count == 2 ? "\(parts[1]).\(parts[0])" : period.code
    }
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
