package ru.vostok.lk.android.app

import androidx.compose.runtime.Composable
import androidx.lifecycle.ViewModel
import androidx.lifecycle.viewModelScope
import androidx.lifecycle.viewmodel.compose.viewModel
import androidx.navigation.NavHostController
import java.time.YearMonth
import kotlinx.coroutines.CoroutineScope
import ru.vostok.lk.android.presentation.Destination
import ru.vostok.lk.android.presentation.Navigator

/** The routes of the NavHost, one per [Destination]; arguments in the path. */
object Routes {
    /** The first screen: the start presenter decides where the person goes (never navigated to). */
    const val START = "start"
    const val SIGN_IN = "sign-in"
    const val REGISTRATION = "registration"
    const val RECOVERY = "recovery"
    const val ACCOUNTS = "accounts"
    const val ACCOUNT = "account/{account}"
    const val CHARGES = "charges/{account}?period={period}"
    const val PAYMENT = "payment/{account}/{period}"
    const val METERS = "meters/{account}"
    const val READING = "reading/{account}/{meter}"
    const val OUTBOX = "outbox"
    const val REPORTS = "reports/{account}"
    const val SETTINGS = "settings"
    const val ROUNDS = "rounds"
    const val ROUND = "round/{round}"
    const val STOP = "stop/{round}/{stop}"

    fun of(destination: Destination): String = when (destination) {
        Destination.SignIn -> SIGN_IN
        Destination.Registration -> REGISTRATION
        Destination.Recovery -> RECOVERY
        Destination.Accounts -> ACCOUNTS
        is Destination.AccountDetails -> "account/${destination.account}"
        is Destination.Charges -> "charges/${destination.account}" + (destination.period?.let { "?period=$it" } ?: "")
        is Destination.Payment -> "payment/${destination.account}/${destination.period}"
        is Destination.Meters -> "meters/${destination.account}"
        is Destination.Reading -> "reading/${destination.account}/${destination.meterId}"
        Destination.Outbox -> OUTBOX
        is Destination.Reports -> "reports/${destination.account}"
        Destination.Settings -> SETTINGS
        Destination.Rounds -> ROUNDS
        is Destination.Round -> "round/${destination.roundId}"
        is Destination.Stop -> "stop/${destination.roundId}/${destination.stopId}"
    }

    fun period(text: String?): YearMonth? = text?.let(YearMonth::parse)
}

/** The presenters' navigation decisions carried out by Navigation Compose. */
class ComposeNavigator(private val controller: NavHostController) : Navigator {
    override fun go(destination: Destination) = controller.navigate(Routes.of(destination))

    override fun back() {
        controller.popBackStack()
    }

    override fun restart(destination: Destination) = controller.navigate(Routes.of(destination)) {
        popUpTo(0) { inclusive = true }
    }
}

/** A presenter kept for its destination's life (across rotation), its coroutines ended with it. */
class PresenterHolder<P>(create: (CoroutineScope) -> P) : ViewModel() {
    val presenter: P = create(viewModelScope)
}

@Composable
fun <P> rememberPresenter(key: String, create: (CoroutineScope) -> P): P = viewModel(key = key) { PresenterHolder(create) }.presenter
