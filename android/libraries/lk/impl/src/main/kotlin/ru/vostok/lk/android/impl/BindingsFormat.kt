package ru.vostok.lk.android.impl

import java.math.BigDecimal
import java.time.Instant
import java.time.LocalDate
import java.time.YearMonth
import ru.vostok.lk.android.api.MeasureUnit
import ru.vostok.lk.android.api.MeterKind
import ru.vostok.lk.android.api.RussianFormat
import ru.vostok.lk.android.api.SkipReason
import ru.vostok.lk.android.api.TariffZone
import ru.vostok.lk.core.SkipReason as CoreSkipReason
import ru.vostok.lk.core.ageRu
import ru.vostok.lk.core.countRu
import ru.vostok.lk.core.dateRu
import ru.vostok.lk.core.meterKindRu
import ru.vostok.lk.core.moneyRu
import ru.vostok.lk.core.numberRu
import ru.vostok.lk.core.periodRu
import ru.vostok.lk.core.pluralRu
import ru.vostok.lk.core.quantityRu
import ru.vostok.lk.core.skipReasonRu
import ru.vostok.lk.core.supportContacts as coreSupportContacts
import ru.vostok.lk.core.zoneRu
import ru.vostok.lk.signOutWarning as coreSignOutWarning

/** Russian as the core's `wording` writes it, through the bindings. Needs no [ru.vostok.lk.init]. */
object BindingsFormat : RussianFormat {
    override fun money(amount: BigDecimal): String = core { moneyRu(amount) }

    override fun date(day: LocalDate): String = dateRu(day)

    override fun period(period: YearMonth): String = periodRu(period)

    override fun zone(zone: TariffZone): String = zoneRu(zone.core())

    override fun meterKind(kind: MeterKind): String = meterKindRu(kind.core())

    override fun skipReason(reason: SkipReason): String = skipReasonRu(CoreSkipReason.valueOf(reason.name))

    override fun age(since: Instant, now: Instant): String = ageRu(since, now)

    override fun number(value: BigDecimal): String = numberRu(value)

    override fun quantity(value: BigDecimal, unit: MeasureUnit): String = quantityRu(value, unit.core())

    override fun plural(count: Long, one: String, few: String, many: String): String = pluralRu(count, one, few, many)

    override fun count(count: Long, one: String, few: String, many: String): String = countRu(count, one, few, many)

    override fun supportContacts(): String = coreSupportContacts()

    override fun signOutWarning(unsent: Int): String? = coreSignOutWarning(unsent.toUInt())
}
