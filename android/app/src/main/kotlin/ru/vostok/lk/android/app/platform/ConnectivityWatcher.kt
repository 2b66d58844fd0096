package ru.vostok.lk.android.app.platform

import android.content.Context
import android.net.ConnectivityManager
import android.net.Network

/** The connectivity callback: when a network comes, the outbox goes at once (LkClient.networkAvailable). */
class ConnectivityWatcher(context: Context, private val onAvailable: () -> Unit) {
    private val manager = context.getSystemService(ConnectivityManager::class.java)

    fun start() {
        manager.registerDefaultNetworkCallback(
            object : ConnectivityManager.NetworkCallback() {
                override fun onAvailable(network: Network) = onAvailable()
            }
        )
    }
}
