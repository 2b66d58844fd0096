package ru.vostok.lk.android.api

/**
 * A small secret store that survives app restarts, for the refresh token: the Android Keystore
 * in the app. A method that throws is logged and taken as "nothing stored": the person signs in again.
 */
interface SecretStore {
    fun get(key: String): String?

    fun set(key: String, value: String)

    fun delete(key: String)
}

/** The platform's log (Logcat). */
fun interface LkLog {
    fun log(level: String, message: String)
}

/** Where the LK lives: the service's address and the app's private folder for the offline store. */
data class LkConfig(val baseUrl: String, val dataDir: String, val timeoutSeconds: Int = 30)
