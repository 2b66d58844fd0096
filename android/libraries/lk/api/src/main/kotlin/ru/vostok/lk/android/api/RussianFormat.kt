package ru.vostok.lk.android.api

import java.math.BigDecimal
import java.time.Instant
import java.time.LocalDate
import java.time.YearMonth

/**
 * Russian as the core writes it (its `wording` module, through the bindings): presenters choose
 * which to call and hold the sentences around them, never format numbers themselves.
 */
interface RussianFormat {
    /** `1 234,56 ₽`. */
    fun money(amount: BigDecimal): String

    /** `21.11.2026`. */
    fun date(day: LocalDate): String

    /** The billing month: `октябрь 2026`. */
    fun period(period: YearMonth): String

    /** A tariff zone as the payment document names it: `День (Т1)`. */
    fun zone(zone: TariffZone): String

    /** A meter's kind: `Горячая вода`. */
    fun meterKind(kind: MeterKind): String

    /** Why a reader skipped a meter (R24): `нет доступа`. */
    fun skipReason(reason: SkipReason): String

    /** How old kept data is: `5 минут назад`, a date after a week. */
    fun age(since: Instant, now: Instant): String

    /** `99 997,5`. */
    fun number(value: BigDecimal): String

    /** `1,5 м³`. */
    fun quantity(value: BigDecimal, unit: MeasureUnit): String

    /** The noun that agrees with [count]: `день`, `дня`, `дней`. */
    fun plural(count: Long, one: String, few: String, many: String): String

    /** [count] with its noun: `3 показания`. */
    fun count(count: Long, one: String, few: String, many: String): String

    /** The hot line and the support e-mail. */
    fun supportContacts(): String

    /** The sign-out question when [unsent] actions wait; null when nothing does. */
    fun signOutWarning(unsent: Int): String?
}
