package ru.vostok.lk.android.api

import java.math.BigDecimal
import java.time.Instant
import java.time.LocalDate
import java.time.YearMonth

/** Reports (R13–R15). */
interface LkReports {
    suspend fun payments(account: String, from: LocalDate, to: LocalDate): Cached<PaymentsReport>

    suspend fun charges(account: String, months: Int): Cached<List<ChargesMonth>>

    suspend fun readings(account: String, commonHouse: Boolean, from: YearMonth, to: YearMonth): Cached<List<ReadingsRow>>
}

data class PaymentsReport(val payments: List<PaymentState>, val totalPaid: BigDecimal)

data class ChargesMonth(val period: YearMonth, val lines: List<ChargeRow>, val totals: ChargeTotals)

data class ReadingsRow(
    val serial: String,
    val kind: MeterKind,
    val period: YearMonth,
    val values: List<ZoneValue>,
    val consumption: List<ZoneValue>,
    val recognised: Boolean,
    val acceptedAt: Instant
)
