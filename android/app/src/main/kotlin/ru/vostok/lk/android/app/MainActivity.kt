package ru.vostok.lk.android.app

import android.content.Intent
import android.os.Bundle
import androidx.activity.ComponentActivity
import androidx.activity.compose.setContent
import androidx.activity.enableEdgeToEdge
import androidx.activity.result.contract.ActivityResultContracts
import androidx.compose.runtime.Composable
import androidx.compose.runtime.remember
import androidx.navigation.NavType
import androidx.navigation.compose.NavHost
import androidx.navigation.compose.composable
import androidx.navigation.compose.rememberNavController
import androidx.navigation.navArgument
import kotlinx.coroutines.flow.MutableSharedFlow
import ru.vostok.lk.android.app.platform.AndroidNotificationPermission
import ru.vostok.lk.android.app.platform.CustomTabPaymentBrowser
import ru.vostok.lk.android.app.platform.LastKnownPosition
import ru.vostok.lk.android.app.platform.PdfSharing
import ru.vostok.lk.android.app.screens.AccountDetailsScreen
import ru.vostok.lk.android.app.screens.AccountsScreen
import ru.vostok.lk.android.app.screens.ChargesScreen
import ru.vostok.lk.android.app.screens.MetersScreen
import ru.vostok.lk.android.app.screens.OutboxScreen
import ru.vostok.lk.android.app.screens.PaymentScreen
import ru.vostok.lk.android.app.screens.ReadingScreen
import ru.vostok.lk.android.app.screens.RecoveryScreen
import ru.vostok.lk.android.app.screens.RegistrationScreen
import ru.vostok.lk.android.app.screens.ReportsScreen
import ru.vostok.lk.android.app.screens.RoundsScreen
import ru.vostok.lk.android.app.screens.RouteScreen
import ru.vostok.lk.android.app.screens.SettingsScreen
import ru.vostok.lk.android.app.screens.SignInScreen
import ru.vostok.lk.android.app.screens.StartScreen
import ru.vostok.lk.android.app.screens.StopScreen
import ru.vostok.lk.android.app.ui.LkTheme
import ru.vostok.lk.android.features.accounts.AccountDetailsPresenter
import ru.vostok.lk.android.features.accounts.AccountsPresenter
import ru.vostok.lk.android.features.charges.ChargesPresenter
import ru.vostok.lk.android.features.payment.PaymentPresenter
import ru.vostok.lk.android.features.payment.PaymentReturn
import ru.vostok.lk.android.features.readings.MetersPresenter
import ru.vostok.lk.android.features.readings.OutboxPresenter
import ru.vostok.lk.android.features.readings.ReadingPresenter
import ru.vostok.lk.android.features.recovery.RecoveryPresenter
import ru.vostok.lk.android.features.registration.RegistrationPresenter
import ru.vostok.lk.android.features.reports.ReportsPresenter
import ru.vostok.lk.android.features.rounds.RoundsPresenter
import ru.vostok.lk.android.features.rounds.RoutePresenter
import ru.vostok.lk.android.features.rounds.StopPresenter
import ru.vostok.lk.android.features.settings.SettingsPresenter
import ru.vostok.lk.android.features.signin.SignInPresenter
import ru.vostok.lk.android.features.signin.StartPresenter

/** The one Activity: the NavHost of every screen, and the way back from the acquirer's page. */
class MainActivity : ComponentActivity() {
    /** R23: the app link (or lk://) came back; the payment screen asks the core, never reads the link's status. */
    private val returns = MutableSharedFlow<Unit>(extraBufferCapacity = 1)
    private val permissionLauncher = registerForActivityResult(ActivityResultContracts.RequestPermission()) { }

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        enableEdgeToEdge()
        val app = application as LkApplication
        setContent { LkTheme { LkNavHost(app) } }
        handle(intent)
    }

    override fun onNewIntent(intent: Intent) {
        super.onNewIntent(intent)
        handle(intent)
    }

    private fun handle(intent: Intent?) {
        val uri = intent?.data ?: return
        if (uri.path.orEmpty().contains("payments/return") || uri.host == "payments") returns.tryEmit(Unit)
    }

    @Composable
    private fun LkNavHost(app: LkApplication) {
        val controller = rememberNavController()
        val navigator = remember(controller) { ComposeNavigator(controller) }
        val lk = app.lk
        val wording = app.wording
        val sharing = remember { PdfSharing(applicationContext) }
        val browser = remember { CustomTabPaymentBrowser(applicationContext) }
        val text = { name: String -> NavType.StringType.let { navArgument(name) { type = it } } }

        NavHost(controller, startDestination = Routes.START) {
            composable(Routes.START) { StartScreen(rememberPresenter("start") { StartPresenter(lk, it) }, navigator::restart) }
            composable(Routes.SIGN_IN) { SignInScreen(rememberPresenter("sign-in") { SignInPresenter(lk, wording, navigator, it) }) }
            composable(Routes.REGISTRATION) {
                RegistrationScreen(rememberPresenter("registration") { RegistrationPresenter(lk, wording, navigator, it) })
            }
            composable(Routes.RECOVERY) { RecoveryScreen(rememberPresenter("recovery") { RecoveryPresenter(lk, wording, navigator, it) }) }
            composable(Routes.ACCOUNTS) { AccountsScreen(rememberPresenter("accounts") { AccountsPresenter(lk, wording, navigator, it) }) }
            composable(Routes.ACCOUNT, listOf(text("account"))) { entry ->
                val account = entry.arguments!!.getString("account")!!
                AccountDetailsScreen(
                    rememberPresenter("account-$account") {
                        AccountDetailsPresenter(account, lk, wording, it)
                    },
                    navigator::back
                )
            }
            composable(Routes.CHARGES, listOf(text("account"), navArgument("period") { nullable = true })) { entry ->
                val account = entry.arguments!!.getString("account")!!
                val period = Routes.period(entry.arguments?.getString("period"))
                ChargesScreen(
                    rememberPresenter("charges-$account-$period") {
                        ChargesPresenter(account, period, lk, wording, navigator, sharing, it)
                    },
                    navigator::back
                )
            }
            composable(Routes.PAYMENT, listOf(text("account"), text("period"))) { entry ->
                val account = entry.arguments!!.getString("account")!!
                val period = Routes.period(entry.arguments!!.getString("period"))!!
                val presenter = rememberPresenter("payment-$account-$period") {
                    PaymentPresenter(
                        account, period, lk, wording, navigator, browser, sharing,
                        PaymentReturn(
                            BuildConfig.PAYMENT_RETURN_URL
                        ),
                        it
                    )
                }
                PaymentScreen(presenter, returns)
            }
            composable(Routes.METERS, listOf(text("account"))) { entry ->
                val account = entry.arguments!!.getString("account")!!
                MetersScreen(rememberPresenter("meters-$account") { MetersPresenter(account, lk, wording, navigator, it) }, navigator::back)
            }
            composable(Routes.READING, listOf(text("account"), text("meter"))) { entry ->
                val account = entry.arguments!!.getString("account")!!
                val meter = entry.arguments!!.getString("meter")!!
                ReadingScreen(rememberPresenter("reading-$account-$meter") { ReadingPresenter(account, meter, lk, wording, navigator, it) })
            }
            composable(Routes.OUTBOX) { OutboxScreen(rememberPresenter("outbox") { OutboxPresenter(lk, wording, navigator, it) }) }
            composable(Routes.REPORTS, listOf(text("account"))) { entry ->
                val account = entry.arguments!!.getString("account")!!
                ReportsScreen(
                    rememberPresenter("reports-$account") {
                        ReportsPresenter(account, lk, wording, sharing, it)
                    },
                    navigator::back
                )
            }
            composable(Routes.SETTINGS) {
                val permission = remember { AndroidNotificationPermission(applicationContext, permissionLauncher) }
                SettingsScreen(
                    rememberPresenter("settings") {
                        SettingsPresenter(lk, wording, navigator, sharing, permission, it)
                    },
                    navigator::back
                )
            }
            composable(Routes.ROUNDS) { RoundsScreen(rememberPresenter("rounds") { RoundsPresenter(lk, wording, navigator, it) }) }
            composable(Routes.ROUND, listOf(text("round"))) { entry ->
                val round = entry.arguments!!.getString("round")!!
                RouteScreen(rememberPresenter("round-$round") { RoutePresenter(round, lk, wording, navigator, it) }, navigator::back)
            }
            composable(Routes.STOP, listOf(text("round"), text("stop"))) { entry ->
                val round = entry.arguments!!.getString("round")!!
                val stop = entry.arguments!!.getString("stop")!!
                val position = remember { LastKnownPosition(applicationContext) }
                StopScreen(rememberPresenter("stop-$round-$stop") { StopPresenter(round, stop, lk, wording, navigator, position, it) })
            }
        }
    }
}
