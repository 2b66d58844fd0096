package ru.vostok.lk.android.features.accounts

import java.math.BigDecimal
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch
import ru.vostok.lk.android.api.AccountSummary
import ru.vostok.lk.android.api.Lk
import ru.vostok.lk.android.api.LkFailure
import ru.vostok.lk.android.presentation.Destination
import ru.vostok.lk.android.presentation.Navigator
import ru.vostok.lk.android.presentation.Presenter
import ru.vostok.lk.android.presentation.Wording

data class AccountRow(
    val number: String,
    /** "Лицевой счёт 450001000001" */
    val title: String,
    val address: String,
    val owner: String,
    /** "К оплате: 1 234,56 ₽", "Переплата: 100,00 ₽" or "Задолженности нет". */
    val debt: String,
    val hasDebt: Boolean,
    /** R19: "Добавлен из другого профиля" for a linked account. */
    val note: String?,
    /** What TalkBack reads for the whole card. */
    val description: String
)

data class AccountsState(
    val rows: List<AccountRow> = emptyList(),
    val refreshing: Boolean = false,
    /** Offline or old data: what the screen shows is the store's. */
    val notice: String? = null,
    val error: String? = null,
    /** R23: payments left open when the app died, as the core resolved them at this start. */
    val payments: List<String> = emptyList(),
    val empty: String? = null
)

sealed interface AccountsEvent {
    data object Refresh : AccountsEvent

    data class Open(val number: String) : AccountsEvent

    data class Charges(val number: String) : AccountsEvent

    data class Pay(val number: String) : AccountsEvent

    data class Meters(val number: String) : AccountsEvent

    data class Reports(val number: String) : AccountsEvent

    data object Settings : AccountsEvent

    data object DismissPayments : AccountsEvent
}

/** R6, R19: the dashboard of the profile's accounts with each one's debt; from the store at once, then refreshed. */
class AccountsPresenter(
    private val lk: Lk,
    private val wording: Wording,
    private val navigator: Navigator,
    private val scope: CoroutineScope
) : Presenter<AccountsState, AccountsEvent> {
    private val mutable = MutableStateFlow(AccountsState())
    override val state: StateFlow<AccountsState> = mutable
    private var summaries: Map<String, AccountSummary> = emptyMap()

    init {
        scope.launch {
            lk.accounts.accounts.collect { accounts ->
                summaries = accounts.associateBy { it.number }
                mutable.update { it.copy(rows = accounts.map(::row), empty = null) }
            }
        }
        refresh()
        resolvePending()
    }

    override fun onEvent(event: AccountsEvent) {
        when (event) {
            AccountsEvent.Refresh -> refresh()
            is AccountsEvent.Open -> navigator.go(Destination.AccountDetails(event.number))
            is AccountsEvent.Charges -> navigator.go(Destination.Charges(event.number, null))
            is AccountsEvent.Pay -> pay(event.number)
            is AccountsEvent.Meters -> navigator.go(Destination.Meters(event.number))
            is AccountsEvent.Reports -> navigator.go(Destination.Reports(event.number))
            AccountsEvent.Settings -> navigator.go(Destination.Settings)
            AccountsEvent.DismissPayments -> mutable.update { it.copy(payments = emptyList()) }
        }
    }

    private fun pay(number: String) {
        val period = summaries[number]?.documentPeriod
        if (period == null) {
            mutable.update { it.copy(error = "По этому лицевому счёту ещё нет платёжного документа") }
        } else {
            navigator.go(Destination.Payment(number, period))
        }
    }

    private fun refresh() {
        mutable.update { it.copy(refreshing = true, error = null) }
        scope.launch {
            try {
                val accounts = lk.accounts.refresh()
                mutable.update {
                    it.copy(refreshing = false, notice = null, empty = if (accounts.isEmpty()) NO_ACCOUNTS else null)
                }
            } catch (e: LkFailure) {
                if (e.needsSignIn) navigator.restart(Destination.SignIn)
                mutable.update {
                    when {
                        e.isNoConnection && it.rows.isNotEmpty() -> it.copy(refreshing = false, notice = KEPT)
                        else -> it.copy(refreshing = false, error = wording.failure(e))
                    }
                }
            }
        }
    }

    private fun resolvePending() {
        scope.launch {
            val resolved = try {
                lk.payments.resolvePending()
            } catch (e: LkFailure) {
                return@launch // asked again at the next start
            }
            val lines = resolved.map { "Платёж на ${wording.format.money(it.total)}: ${it.statusText}" }
            if (lines.isNotEmpty()) mutable.update { it.copy(payments = lines) }
        }
    }

    private fun row(account: AccountSummary): AccountRow {
        val f = wording.format
        val debt = when (account.debt.signum()) {
            1 -> "К оплате: ${f.money(account.debt)}"
            -1 -> "Переплата: ${f.money(account.debt.negate())}"
            else -> "Задолженности нет"
        }
        val title = "Лицевой счёт ${account.number}"
        val note = if (account.own) null else "Добавлен из другого профиля"
        return AccountRow(
            number = account.number,
            title = title,
            address = account.address,
            owner = account.owner,
            debt = debt,
            hasDebt = account.debt > BigDecimal.ZERO,
            note = note,
            description = listOfNotNull(title, account.address, debt, note).joinToString(". ")
        )
    }

    private companion object {
        const val KEPT = "Нет связи с сервером. Показаны данные, сохранённые на устройстве"
        const val NO_ACCOUNTS = "К профилю не привязан ни один лицевой счёт"
    }
}
