package ru.vostok.lk.android.app

import android.app.Application
import android.util.Log
import java.time.Clock
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import ru.vostok.lk.android.api.LkConfig
import ru.vostok.lk.android.api.LkLog
import ru.vostok.lk.android.app.platform.ConnectivityWatcher
import ru.vostok.lk.android.app.platform.FcmPushProvider
import ru.vostok.lk.android.app.platform.KeystoreSecretStore
import ru.vostok.lk.android.app.platform.SyncWorker
import ru.vostok.lk.android.impl.BindingsFormat
import ru.vostok.lk.android.impl.BindingsLk
import ru.vostok.lk.android.presentation.PushRegistration
import ru.vostok.lk.android.presentation.Wording

/** The app's one LK and what every screen shares, made once at start. */
class LkApplication : Application() {
    lateinit var lk: BindingsLk
        private set
    lateinit var wording: Wording
        private set

    /** Work that outlives a screen (push registration, the sync's first run). */
    val appScope = CoroutineScope(SupervisorJob() + Dispatchers.Main.immediate)

    val log = LkLog { level, message ->
        when (level) {
            "error" -> Log.e(TAG, message)
            "warn" -> Log.w(TAG, message)
            "info" -> Log.i(TAG, message)
            else -> Log.d(TAG, message)
        }
    }

    override fun onCreate() {
        super.onCreate()
        lk = BindingsLk.open(LkConfig(BuildConfig.LK_BASE_URL, filesDir.resolve("lk").path), KeystoreSecretStore(this), log)
        wording = Wording(BindingsFormat, Clock.systemDefaultZone())
        // The outbox flows while the app runs; WorkManager sends it when it does not.
        lk.startSync()
        SyncWorker.schedule(this)
        ConnectivityWatcher(this) { lk.networkAvailable() }.start()
        PushRegistration(lk, FcmPushProvider.shared, log, appScope).start()
    }

    private companion object {
        const val TAG = "LK"
    }
}
