package ru.vostok.lk.android.app.platform

import android.Manifest
import android.app.NotificationChannel
import android.app.NotificationManager
import android.content.Context
import android.content.pm.PackageManager
import android.os.Build
import androidx.activity.result.ActivityResultLauncher
import androidx.core.app.NotificationCompat
import androidx.core.content.ContextCompat
import com.google.firebase.messaging.FirebaseMessaging
import com.google.firebase.messaging.FirebaseMessagingService
import com.google.firebase.messaging.RemoteMessage
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import ru.vostok.lk.android.api.PushPlatform
import ru.vostok.lk.android.app.R
import ru.vostok.lk.android.presentation.NotificationPermission
import ru.vostok.lk.android.presentation.PushProvider

/** FCM as the push provider (R22); RuStore or HMS would be another [PushProvider]. */
class FcmPushProvider private constructor() : PushProvider {
    private val current = MutableStateFlow<String?>(null)
    override val platform = PushPlatform.FCM
    override val tokens: StateFlow<String?> = current

    init {
        FirebaseMessaging.getInstance().token.addOnSuccessListener { current.value = it }
    }

    fun tokenChanged(token: String) {
        current.value = token
    }

    companion object {
        val shared: FcmPushProvider by lazy { FcmPushProvider() }
    }
}

/** What FCM delivers: a new token, and the service's notifications (reading window, new document, payment result). */
class LkMessagingService : FirebaseMessagingService() {
    override fun onNewToken(token: String) = FcmPushProvider.shared.tokenChanged(token)

    override fun onMessageReceived(message: RemoteMessage) {
        val text = message.notification ?: return
        val manager = getSystemService(NotificationManager::class.java)
        manager.createNotificationChannel(
            NotificationChannel(CHANNEL, getString(R.string.push_channel), NotificationManager.IMPORTANCE_DEFAULT)
        )
        val notification = NotificationCompat.Builder(this, CHANNEL)
            .setSmallIcon(R.drawable.ic_launcher)
            .setContentTitle(text.title)
            .setContentText(text.body)
            .setAutoCancel(true)
            .build()
        manager.notify(message.messageId.hashCode(), notification)
    }

    private companion object {
        const val CHANNEL = "lk"
    }
}

/** POST_NOTIFICATIONS (Android 13+), asked only when the settings presenter decides the moment explains it. */
class AndroidNotificationPermission(private val context: Context, private val launcher: ActivityResultLauncher<String>) :
    NotificationPermission {
    override val granted: Boolean
        get() = Build.VERSION.SDK_INT < Build.VERSION_CODES.TIRAMISU ||
            ContextCompat.checkSelfPermission(context, Manifest.permission.POST_NOTIFICATIONS) == PackageManager.PERMISSION_GRANTED

    override fun request() {
        if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.TIRAMISU) launcher.launch(Manifest.permission.POST_NOTIFICATIONS)
    }
}
