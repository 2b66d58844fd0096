package ru.vostok.lk.android.impl

import java.math.BigDecimal
import java.time.YearMonth
import ru.vostok.lk.android.api.LkFailure
import ru.vostok.lk.android.api.MeasureUnit
import ru.vostok.lk.android.api.MeterKind
import ru.vostok.lk.android.api.PaymentStatus
import ru.vostok.lk.android.api.SkipReason
import ru.vostok.lk.android.api.TariffZone

/*
 * INTERIM, until the core exports them (requested, issue 16): what the core already has in
 * Russian or as a rule but the bindings do not give yet: the names of billing months
 * (`Period::name_ru`), zones (`TariffZone::name_ru`), meter kinds (`MeterKind::name_ru`), skip
 * reasons (`SkipReason::name_ru`) and payment statuses (`PaymentStatus::name_ru`); a kind's
 * unit and zones (`MeterKind::unit`, `MeterKind::zones`); reading a typed amount
 * (`Money::parse`). Written here once, word for word as the core has them, so that no presenter
 * holds a copy; each goes when its export comes.
 */

internal fun zoneName(zone: TariffZone): String = when (zone) {
    TariffZone.SINGLE -> "Круглосуточно"
    TariffZone.DAY -> "День (Т1)"
    TariffZone.NIGHT -> "Ночь (Т2)"
    TariffZone.PEAK -> "Пик (Т1)"
    TariffZone.SEMI_PEAK -> "Полупик (Т3)"
}

internal fun meterKindName(kind: MeterKind): String = when (kind) {
    MeterKind.ELECTRICITY_SINGLE -> "Электроэнергия"
    MeterKind.ELECTRICITY_TWO_ZONE -> "Электроэнергия, двухтарифный"
    MeterKind.ELECTRICITY_THREE_ZONE -> "Электроэнергия, трёхтарифный"
    MeterKind.COLD_WATER -> "Холодная вода"
    MeterKind.HOT_WATER -> "Горячая вода"
    MeterKind.GAS -> "Газ"
    MeterKind.HEAT -> "Тепловая энергия"
}

internal fun skipReasonName(reason: SkipReason): String = when (reason) {
    SkipReason.NO_ACCESS -> "нет доступа"
    SkipReason.FAULTY -> "счётчик неисправен"
    SkipReason.SEAL_BROKEN -> "пломба нарушена"
    SkipReason.UNREADABLE -> "не читается"
    SkipReason.MISSING -> "счётчик отсутствует"
}

internal fun meterUnit(kind: MeterKind): MeasureUnit = when (kind) {
    MeterKind.ELECTRICITY_SINGLE, MeterKind.ELECTRICITY_TWO_ZONE, MeterKind.ELECTRICITY_THREE_ZONE -> MeasureUnit.KWH
    MeterKind.COLD_WATER, MeterKind.HOT_WATER, MeterKind.GAS -> MeasureUnit.CUBIC_METRE
    MeterKind.HEAT -> MeasureUnit.GCAL
}

/** The zones a reading of this kind carries, in the order the dial shows them. */
internal fun meterZones(kind: MeterKind): List<TariffZone> = when (kind) {
    MeterKind.ELECTRICITY_TWO_ZONE -> listOf(TariffZone.DAY, TariffZone.NIGHT)
    MeterKind.ELECTRICITY_THREE_ZONE -> listOf(TariffZone.PEAK, TariffZone.NIGHT, TariffZone.SEMI_PEAK)
    else -> listOf(TariffZone.SINGLE)
}

/** The billing month as the payment document prints it, `ноябрь 2026` (the core's `Period::name_ru`). */
internal fun periodName(period: YearMonth): String = "${MONTHS[period.monthValue - 1]} ${period.year}"

private val MONTHS = listOf(
    "январь", "февраль", "март", "апрель", "май", "июнь",
    "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь"
)

/**
 * An amount typed on a line of the payment (`1 234,56`): its group spaces and decimal comma
 * taken out so that the core reads it, strictly, when it crosses (more than two decimals come
 * back refused in the core's words). The core's `Money::parse` is not exported yet.
 */
internal fun typedAmount(text: String): BigDecimal = text.filterNot { it == ' ' || it == '\u00a0' }.replace(',', '.').toBigDecimalOrNull()
    ?: throw LkFailure("invalid_input", "Сумма указана неверно", "fixed")

/** A payment's status in words (the core's `PaymentStatus::name_ru`), for the payments report. */
internal fun paymentStatusName(status: PaymentStatus): String = when (status) {
    PaymentStatus.CREATED -> "Создан"
    PaymentStatus.PENDING -> "Ожидает подтверждения банка"
    PaymentStatus.SUCCEEDED -> "Оплата выполнена успешно"
    PaymentStatus.DECLINED -> "Платёж отклонён банком"
    PaymentStatus.CANCELED -> "Платёж отменён"
}
