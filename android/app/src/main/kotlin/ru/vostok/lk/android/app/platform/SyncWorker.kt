package ru.vostok.lk.android.app.platform

import android.content.Context
import androidx.work.BackoffPolicy
import androidx.work.Constraints
import androidx.work.CoroutineWorker
import androidx.work.ExistingPeriodicWorkPolicy
import androidx.work.NetworkType
import androidx.work.PeriodicWorkRequestBuilder
import androidx.work.WorkManager
import androidx.work.WorkerParameters
import java.util.concurrent.TimeUnit
import ru.vostok.lk.android.api.LkFailure
import ru.vostok.lk.android.app.LkApplication

/**
 * Sends the outbox when the app is not running (readings made in a basement, a reader's day):
 * whenever a network is there, at most every 15 minutes. The core keeps the order and the
 * idempotency keys, so a run cut short is simply run again.
 */
class SyncWorker(context: Context, params: WorkerParameters) : CoroutineWorker(context, params) {
    override suspend fun doWork(): Result {
        val lk = (applicationContext as LkApplication).lk
        return try {
            val summary = lk.syncNow()
            if (summary.waiting > 0) Result.retry() else Result.success()
        } catch (e: LkFailure) {
            if (e.isNoConnection) Result.retry() else Result.success()
        }
    }

    companion object {
        private const val NAME = "lk-outbox"

        fun schedule(context: Context) {
            val request = PeriodicWorkRequestBuilder<SyncWorker>(15, TimeUnit.MINUTES)
                .setConstraints(Constraints.Builder().setRequiredNetworkType(NetworkType.CONNECTED).build())
                .setBackoffCriteria(BackoffPolicy.EXPONENTIAL, 30, TimeUnit.SECONDS)
                .build()
            WorkManager.getInstance(context).enqueueUniquePeriodicWork(NAME, ExistingPeriodicWorkPolicy.KEEP, request)
        }
    }
}
