package ru.vostok.lk.android.impl

import ru.vostok.lk.ClientConfig
import ru.vostok.lk.LkClient
import ru.vostok.lk.LogLevel
import ru.vostok.lk.Logger
import ru.vostok.lk.PlatformException
import ru.vostok.lk.SecureStore
import ru.vostok.lk.android.api.Lk
import ru.vostok.lk.android.api.LkConfig
import ru.vostok.lk.android.api.LkLog
import ru.vostok.lk.android.api.RussianFormat
import ru.vostok.lk.android.api.SecretStore
import ru.vostok.lk.android.api.SyncSummary
import ru.vostok.lk.init

/** The LK over the bindings: opened once at app start, kept for the app's life. */
class BindingsLk private constructor(private val client: LkClient) : Lk {
    override val session = BindingsSession(client.session())
    override val identity = BindingsIdentity(client.session())
    override val accounts = BindingsAccounts(client.accounts())
    override val charges = BindingsCharges(client.charges())
    private val seen = SeenPayments()
    override val payments = BindingsPayments(client.payments(), seen)
    override val readings = BindingsReadings(client.readings())
    override val reports = BindingsReports(client.reports(), seen)
    override val settings = BindingsSettings(client.settings())
    override val rounds = BindingsRounds(client.rounds())
    override val format: RussianFormat = BindingsFormat

    override fun networkAvailable() = core { client.networkAvailable() }

    override suspend fun syncNow(): SyncSummary = core {
        val s = client.syncNow()
        SyncSummary(s.sent.toInt(), s.needsAction.toInt(), s.waiting.toInt())
    }

    /** Keeps the outbox flowing while the app runs (the worker sends it when the app does not). */
    fun startSync() = core { client.startSync() }

    fun stopSync() = client.stopSync()

    /** Stops the listeners and frees the core's objects. */
    fun close() {
        session.close()
        accounts.close()
        readings.close()
        client.close()
    }

    companion object {
        /** Sets the library up (once) and opens the device's store; [store] keeps the refresh token. */
        fun open(config: LkConfig, store: SecretStore, log: LkLog): BindingsLk = core {
            init(ForeignLog(log))
            val client = LkClient.open(ClientConfig(config.baseUrl, config.dataDir, config.timeoutSeconds.toUInt()), ForeignStore(store))
            BindingsLk(client)
        }
    }
}

/** The platform's keystore as the bindings' SecureStore; what it throws is reported by the core, not a crash. */
private class ForeignStore(private val store: SecretStore) : SecureStore {
    override fun get(key: String): String? = guarded { store.get(key) }

    override fun set(key: String, value: String) = guarded { store.set(key, value) }

    override fun delete(key: String) = guarded { store.delete(key) }

    private inline fun <T> guarded(call: () -> T): T = try {
        call()
    } catch (e: Exception) {
        throw PlatformException.Failed(e.message ?: e.javaClass.simpleName)
    }
}

private class ForeignLog(private val log: LkLog) : Logger {
    override fun log(level: LogLevel, message: String) = log.log(level.name.lowercase(), message)
}
