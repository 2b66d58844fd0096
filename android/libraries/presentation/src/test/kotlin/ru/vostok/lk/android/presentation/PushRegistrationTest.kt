package ru.vostok.lk.android.presentation

import java.util.concurrent.CopyOnWriteArrayList
import kotlinx.coroutines.flow.MutableStateFlow
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Test
import ru.vostok.lk.android.api.LkLog
import ru.vostok.lk.android.api.PushPlatform
import ru.vostok.lk.android.test.FakeLk
import ru.vostok.lk.android.test.noFormat
import ru.vostok.lk.android.test.offline
import ru.vostok.lk.android.test.presenterTest

class PushRegistrationTest {
    private val lk = FakeLk(noFormat)
    private val provider = object : PushProvider {
        override val platform = PushPlatform.FCM
        override val tokens = MutableStateFlow<String?>(null)
    }
    private val logged = CopyOnWriteArrayList<String>()
    private val log = LkLog { level, message -> logged.add("$level $message") }

    @Test
    fun `R22 the token is registered once someone is signed in, and again whenever it changes`() = presenterTest { scope ->
        PushRegistration(lk, provider, log, scope).start()
        provider.tokens.value = "token-1"
        assertEquals(emptyList<Pair<PushPlatform, String>>(), lk.settings.devices, "nobody signed in: nothing to register")
        lk.session.signedIn.value = true
        assertEquals(listOf(PushPlatform.FCM to "token-1"), lk.settings.devices)
        provider.tokens.value = "token-1"
        provider.tokens.value = "token-2"
        assertEquals(listOf(PushPlatform.FCM to "token-1", PushPlatform.FCM to "token-2"), lk.settings.devices, "a token is sent once")
    }

    @Test
    fun `after signing out and in again, the same token is registered for the person now signed in`() = presenterTest { scope ->
        lk.session.signedIn.value = true
        provider.tokens.value = "token-1"
        PushRegistration(lk, provider, log, scope).start()
        lk.session.signedIn.value = false
        lk.session.signedIn.value = true
        assertEquals(listOf(PushPlatform.FCM to "token-1", PushPlatform.FCM to "token-1"), lk.settings.devices)
    }

    @Test
    fun `a registration that fails is logged by its code and the next token is still registered`() = presenterTest { scope ->
        lk.session.signedIn.value = true
        lk.settings.registerWith = { _, _ -> throw offline() }
        PushRegistration(lk, provider, log, scope).start()
        provider.tokens.value = "token-1"
        assertEquals(listOf("warn push token not registered: offline"), logged)
        lk.settings.registerWith = { platform, token -> lk.settings.devices.add(platform to token) }
        provider.tokens.value = "token-2"
        assertEquals(listOf(PushPlatform.FCM to "token-2"), lk.settings.devices)
    }
}
