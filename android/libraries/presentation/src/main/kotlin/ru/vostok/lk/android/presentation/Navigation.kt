package ru.vostok.lk.android.presentation

import java.time.YearMonth

/** Where the app can go; the app's NavHost has a destination for each. */
sealed interface Destination {
    data object SignIn : Destination

    data object Registration : Destination

    data object Recovery : Destination

    data object Accounts : Destination

    data class AccountDetails(val account: String) : Destination

    data class Charges(val account: String, val period: YearMonth?) : Destination

    data class Payment(val account: String, val period: YearMonth) : Destination

    data class Meters(val account: String) : Destination

    data class Reading(val account: String, val meterId: String) : Destination

    data object Outbox : Destination

    data class Reports(val account: String) : Destination

    data object Settings : Destination

    data object Rounds : Destination

    data class Round(val roundId: String) : Destination

    data class Stop(val roundId: String, val stopId: String) : Destination
}

/** Presenters decide where to go; the app's navigation carries it out. */
interface Navigator {
    fun go(destination: Destination)

    /** Leaves the current screen. */
    fun back()

    /** Starts over at [destination], forgetting the screens before (sign-in, sign-out). */
    fun restart(destination: Destination)
}
