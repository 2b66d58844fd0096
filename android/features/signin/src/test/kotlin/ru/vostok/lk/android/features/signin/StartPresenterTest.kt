package ru.vostok.lk.android.features.signin

import kotlinx.coroutines.CoroutineScope
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Test
import ru.vostok.lk.android.api.LkFailure
import ru.vostok.lk.android.api.Notifications
import ru.vostok.lk.android.api.Profile
import ru.vostok.lk.android.api.Role
import ru.vostok.lk.android.impl.BindingsFormat
import ru.vostok.lk.android.presentation.Destination
import ru.vostok.lk.android.test.FakeLk
import ru.vostok.lk.android.test.Samples
import ru.vostok.lk.android.test.await
import ru.vostok.lk.android.test.cachedAt
import ru.vostok.lk.android.test.offline
import ru.vostok.lk.android.test.presenterTest
import ru.vostok.lk.android.test.unexpected

class StartPresenterTest {
    private val lk = FakeLk(BindingsFormat)

    private fun profile(role: Role) = Profile("demo", role, null, null, "Курган", emptyList(), Notifications(true, true, true, false))

    private suspend fun landing(scope: CoroutineScope): Destination? = StartPresenter(lk, scope).state.await { it.home != null }.home

    @Test
    fun `nobody signed in, the app starts at sign-in without asking for a profile`() = presenterTest { scope ->
        lk.settings.profileWith = { unexpected() }
        assertEquals(Destination.SignIn, landing(scope))
    }

    @Test
    fun `R24 a reader signed in lands on the rounds`() = presenterTest { scope ->
        lk.session.signedIn.value = true
        lk.settings.profileWith = { profile(Role.READER).cachedAt(Samples.NOW) }
        assertEquals(Destination.Rounds, landing(scope))
    }

    @Test
    fun `R6 a resident signed in lands on the accounts`() = presenterTest { scope ->
        lk.session.signedIn.value = true
        lk.settings.profileWith = { profile(Role.RESIDENT).cachedAt(Samples.NOW) }
        assertEquals(Destination.Accounts, landing(scope))
    }

    @Test
    fun `a reader offline lands on the rounds by the profile the store kept`() = presenterTest { scope ->
        lk.session.signedIn.value = true
        lk.settings.profileWith = { profile(Role.READER).cachedAt(Samples.NOW.minusSeconds(86_400)) }
        assertEquals(Destination.Rounds, landing(scope))
    }

    @Test
    fun `with no profile to be had the accounts are the home, an ended session starts at sign-in`() = presenterTest { scope ->
        lk.session.signedIn.value = true
        lk.settings.profileWith = { throw offline() }
        assertEquals(Destination.Accounts, landing(scope))
        lk.settings.profileWith = { throw LkFailure("session_expired", "Войдите в личный кабинет заново") }
        assertEquals(Destination.SignIn, landing(scope))
    }
}
