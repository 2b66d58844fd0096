package ru.vostok.lk.android.presentation

import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.combine
import kotlinx.coroutines.flow.distinctUntilChanged
import kotlinx.coroutines.launch
import ru.vostok.lk.android.api.Lk
import ru.vostok.lk.android.api.LkFailure
import ru.vostok.lk.android.api.LkLog
import ru.vostok.lk.android.api.PushPlatform

/**
 * Where push tokens come from (R22): FCM in the app; RuStore or HMS can be added behind the
 * same interface. [tokens] gives the current token (null until there is one), then each new one.
 */
interface PushProvider {
    val platform: PushPlatform
    val tokens: Flow<String?>
}

/** Registers the provider's token with the service whenever someone is signed in and the token is new. */
class PushRegistration(private val lk: Lk, private val provider: PushProvider, private val log: LkLog, private val scope: CoroutineScope) {
    fun start() {
        scope.launch {
            combine(lk.session.signedIn, provider.tokens) { signedIn, token -> token.takeIf { signedIn } }
                .distinctUntilChanged()
                .collect { token ->
                    if (token != null) {
                        try {
                            lk.settings.registerDevice(provider.platform, token)
                        } catch (e: LkFailure) {
                            // Registered again at the next start or token change.
                            log.log("warn", "push token not registered: ${e.code}")
                        }
                    }
                }
        }
    }
}
