package ru.vostok.lk.android.features.signin

import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch
import ru.vostok.lk.android.api.Lk
import ru.vostok.lk.android.api.LkFailure
import ru.vostok.lk.android.api.Role
import ru.vostok.lk.android.presentation.Destination

/** Where the app starts; null while it is being decided (the screen shows progress). */
data class StartState(val home: Destination? = null)

/**
 * The app's first screen (R1, R24): nobody signed in starts at sign-in; a person signed in at
 * their home, a reader's rounds or a resident's accounts, by the role the profile has.
 */
class StartPresenter(private val lk: Lk, scope: CoroutineScope) {
    private val mutable = MutableStateFlow(StartState())
    val state: StateFlow<StartState> = mutable

    init {
        scope.launch {
            val home = if (lk.session.signedIn.value) home(lk) else Destination.SignIn
            mutable.update { it.copy(home = home) }
        }
    }
}

/**
 * A signed-in person's first screen: readers walk their rounds (R24), everyone else sees their
 * accounts. The profile is the store's when offline; one that cannot be had at all is taken as a
 * resident's, a session that has ended starts over at sign-in.
 */
internal suspend fun home(lk: Lk): Destination {
    val role = try {
        lk.settings.profile().value.role
    } catch (e: LkFailure) {
        if (e.needsSignIn) return Destination.SignIn
        Role.RESIDENT
    }
    return if (role == Role.READER) Destination.Rounds else Destination.Accounts
}
