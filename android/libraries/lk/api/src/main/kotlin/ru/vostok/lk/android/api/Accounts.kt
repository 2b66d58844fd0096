package ru.vostok.lk.android.api

import java.math.BigDecimal
import java.time.YearMonth
import kotlinx.coroutines.flow.StateFlow

/** The profile's accounts (R6, R19). */
interface LkAccounts {
    /** What the store has at once (the dashboard on a cold start, offline too), then each change. */
    val accounts: StateFlow<List<AccountSummary>>

    suspend fun refresh(): List<AccountSummary>

    suspend fun details(number: String): Cached<AccountDetails>
}

data class AccountSummary(
    val number: String,
    val owner: String,
    val address: String,
    /** Bound at registration, or linked from another profile (R19). */
    val own: Boolean,
    /** Debt (positive) or overpayment (negative) today. */
    val debt: BigDecimal,
    val documentPeriod: YearMonth?
)

/** R6: owner, address, services with tariffs, suppliers with requisites. */
data class AccountDetails(
    val number: String,
    val owner: String,
    val address: String,
    val city: String,
    val own: Boolean,
    val debt: BigDecimal,
    val services: List<ServiceTariffs>,
    val suppliers: List<Supplier>
)

data class ServiceTariffs(val code: String, val name: String, val unit: MeasureUnit, val prices: List<ZonePrice>)

data class ZonePrice(val zone: TariffZone, val price: BigDecimal)

data class Supplier(
    val name: String,
    val inn: String,
    val kpp: String,
    val bank: String,
    val bic: String,
    val settlementAccount: String,
    val correspondentAccount: String
)
