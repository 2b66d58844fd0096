import Foundation
import LkInterface

/// Names the screens give the core's enums (what a label says, not a rule).
enum Wording {
    static func meter(_ kind: MeterKind) -> String {
        switch kind {
        case .electricitySingle: return "Электроэнергия, однотарифный"
        case .electricityTwoZone: return "Электроэнергия, двухтарифный"
        case .electricityThreeZone: return "Электроэнергия, трёхтарифный"
        case .coldWater: return "Холодная вода"
        case .hotWater: return "Горячая вода"
        case .gas: return "Газ"
        case .heat: return "Тепловая энергия"
        }
    }

    /// Why a reader did not read a meter (R24).
    static func skip(_ reason: SkipReason) -> String {
        switch reason {
        case .noAccess: return "Нет доступа"
        case .faulty: return "Счётчик неисправен"
        case .sealBroken: return "Пломба нарушена"
        case .unreadable: return "Не читается"
        case .missing: return "Счётчик отсутствует"
        }
    }

    static func zone(_ zone: Zone) -> String {
        switch zone {
        case .single: return "Показание"
        case .day: return "День (Т1)"
        case .night: return "Ночь (Т2)"
        case .peak: return "Пик (Т1)"
        case .semiPeak: return "Полупик (Т3)"
        }
    }
}

extension RussianFormatting {
    /// A reading or a use with its unit when the meter's unit is known, the number alone if not.
    func reading(_ value: Decimal, _ unit: MeasureUnit?) -> String {
        unit.map { quantity(value, $0) } ?? number(value)
    }
}
