import Foundation

/// Russian as the core writes it: every number, amount, date and plural a screen shows goes
/// through these (implemented by LkImplementation with the core's `moneyRu`, `dateRu`,
/// `numberRu`, `quantityRu`, `countRu`, `pluralRu`, `periodRu` and the names of the core's enums);
/// Swift never formats or names them itself.
public protocol RussianFormatting: Sendable {
    /// `1 234,56 ₽`
    func money(_ amount: Decimal) -> String
    /// `21.11.2026`, from the core's day `2026-11-21`.
    func date(_ day: Day) -> String
    /// `99 997,5`
    func number(_ value: Decimal) -> String
    /// `1,5 м³`
    func quantity(_ value: Decimal, _ unit: MeasureUnit) -> String
    /// A billing month, from the core's `2026-10`: `октябрь 2026`.
    func period(_ period: Period) -> String
    /// `День (Т1)`, as printed on the meter and the document.
    func zone(_ zone: Zone) -> String
    /// `Электроэнергия, двухтарифный`
    func meterKind(_ kind: MeterKind) -> String
    /// Why a reader did not read a meter: `нет доступа`.
    func skipReason(_ reason: SkipReason) -> String
    /// How old data kept on the device is: `5 минут назад`.
    func age(since: Date, now: Date) -> String
    /// `3 показания`
    func count(_ count: Int, _ noun: Noun) -> String
    /// The form alone: `показания`.
    func plural(_ count: Int, _ noun: Noun) -> String
    /// The hot line and the support e-mail.
    var supportContacts: String { get }
}

/// A Russian noun's three forms for counting: 1 день, 2 дня, 5 дней.
public struct Noun: Equatable, Sendable {
    public let one: String
    public let few: String
    public let many: String

    public init(_ one: String, _ few: String, _ many: String) {
        self.one = one
        self.few = few
        self.many = many
    }
}

/// A calendar day as the core sends it (`2026-11-21`); shown through `RussianFormatting.date`.
public struct Day: Hashable, Sendable, Comparable {
    public let iso: String
    public init(_ iso: String) { self.iso = iso }
    public static func < (a: Day, b: Day) -> Bool { a.iso < b.iso }
}

/// A billing month as the core sends it (`2026-10`); named through `RussianFormatting.period`.
public struct Period: Hashable, Sendable, Comparable {
    public let code: String
    public init(_ code: String) { self.code = code }
    public static func < (a: Period, b: Period) -> Bool { a.code < b.code }
}

/// The units the core measures in (its `Unit`), for `RussianFormatting.quantity`.
public enum MeasureUnit: Hashable, Sendable {
    case kilowattHour, cubicMetre, squareMetre, gigacalorie, person, month
}
