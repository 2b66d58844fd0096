package ru.vostok.lk.android.presentation

import java.time.Clock
import java.time.Duration
import java.time.Instant
import ru.vostok.lk.android.api.Cached
import ru.vostok.lk.android.api.LkFailure
import ru.vostok.lk.android.api.RussianFormat

/** The sentences every screen shares around the core's formatting. */
class Wording(val format: RussianFormat, private val clock: Clock) {
    fun now(): Instant = clock.instant()

    /** Today on this phone. */
    fun today(): java.time.LocalDate = now().atZone(clock.zone).toLocalDate()

    /** The day of [instant] on this phone, in the core's words: `21.11.2026`. */
    fun day(instant: Instant): String = format.date(instant.atZone(clock.zone).toLocalDate())

    /**
     * The line above data the core took from the store because the service could not be
     * reached: what came back is older than the moment it was [asked] for. Null for fresh data.
     */
    fun freshness(cached: Cached<*>, asked: Instant): String? = if (cached.refreshedAt < asked - SLACK) {
        "Нет связи с сервером. Показаны данные, обновлённые ${format.age(cached.refreshedAt, asked)}"
    } else {
        null
    }

    /** What a failure says to the person: the core's Russian text, as it is. */
    fun failure(e: LkFailure): String = e.text

    /** The line under a field that failed, when the failure names that field. */
    fun fieldError(e: LkFailure, field: String): String? = if (e.field == field) e.text else null

    private companion object {
        /** The phone's clock and the store's stamps may differ by this much for an answer that just came. */
        val SLACK: Duration = Duration.ofSeconds(2)
    }
}
