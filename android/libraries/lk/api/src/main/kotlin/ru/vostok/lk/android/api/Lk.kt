package ru.vostok.lk.android.api

/**
 * The LK on this device, as the features see it: one object for the app's life, its sections
 * each an interface. The implementation module is the only one that knows the bindings.
 */
interface Lk {
    val session: LkSession
    val identity: LkIdentity
    val accounts: LkAccounts
    val charges: LkCharges
    val payments: LkPayments
    val readings: LkReadings
    val reports: LkReports
    val settings: LkSettings
    val rounds: LkRounds

    /** Russian numbers, money, dates and plurals, as the core writes them. */
    val format: RussianFormat

    /** The connectivity callback: the network is back, the outbox goes now. */
    fun networkAvailable()

    /** Sends what waits in the outbox, in order (the background worker's job). */
    suspend fun syncNow(): SyncSummary
}

data class SyncSummary(val sent: Int, val needsAction: Int, val waiting: Int)
