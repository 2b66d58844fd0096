package ru.vostok.lk.android.features.accounts

import java.math.BigDecimal
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch
import ru.vostok.lk.android.api.AccountDetails
import ru.vostok.lk.android.api.Lk
import ru.vostok.lk.android.api.LkFailure
import ru.vostok.lk.android.presentation.Presenter
import ru.vostok.lk.android.presentation.Wording

/** A label and its value, as the details screen lists them. */
data class Field(val label: String, val value: String)

data class DetailsSection(val title: String, val fields: List<Field>)

data class AccountDetailsState(
    val title: String,
    val loading: Boolean = true,
    val sections: List<DetailsSection> = emptyList(),
    val notice: String? = null,
    val error: String? = null
)

sealed interface AccountDetailsEvent {
    data object Refresh : AccountDetailsEvent
}

/** R6: owner, address, number, debt, services with their tariffs, suppliers with their requisites. */
class AccountDetailsPresenter(
    private val account: String,
    private val lk: Lk,
    private val wording: Wording,
    private val scope: CoroutineScope
) : Presenter<AccountDetailsState, AccountDetailsEvent> {
    private val mutable = MutableStateFlow(AccountDetailsState(title = "Лицевой счёт $account"))
    override val state: StateFlow<AccountDetailsState> = mutable

    init {
        load()
    }

    override fun onEvent(event: AccountDetailsEvent) {
        when (event) {
            AccountDetailsEvent.Refresh -> load()
        }
    }

    private fun load() {
        mutable.update { it.copy(loading = true, error = null) }
        scope.launch {
            try {
                val asked = wording.now()
                val cached = lk.accounts.details(account)
                mutable.update {
                    it.copy(loading = false, sections = sections(cached.value), notice = wording.freshness(cached, asked))
                }
            } catch (e: LkFailure) {
                mutable.update { it.copy(loading = false, error = wording.failure(e)) }
            }
        }
    }

    private fun sections(details: AccountDetails): List<DetailsSection> {
        val f = wording.format
        val debt = when (details.debt.signum()) {
            1 -> f.money(details.debt)
            -1 -> "переплата ${f.money(details.debt.negate())}"
            else -> "нет"
        }
        val head = DetailsSection(
            "Лицевой счёт",
            listOf(
                Field("Номер", details.number),
                Field("Владелец", details.owner),
                Field("Адрес объекта", details.address),
                Field("Населённый пункт", details.city),
                Field("Задолженность", debt)
            )
        )
        val services = DetailsSection(
            "Услуги и тарифы",
            details.services.map { service ->
                val per = f.quantity(BigDecimal.ONE, service.unit)
                val prices = service.prices.joinToString("; ") { price ->
                    val zone = if (service.prices.size > 1) "${f.zone(price.zone)}: " else ""
                    "$zone${f.number(price.price)} ₽ за $per"
                }
                Field(service.name, prices)
            }
        )
        val suppliers = details.suppliers.map { s ->
            DetailsSection(
                "Реквизиты: ${s.name}",
                listOf(
                    Field("ИНН", s.inn),
                    Field("КПП", s.kpp),
                    Field("Банк", s.bank),
                    Field("БИК", s.bic),
                    Field("Расчётный счёт", s.settlementAccount),
                    Field("Корреспондентский счёт", s.correspondentAccount)
                )
            )
        }
        return listOf(head, services) + suppliers
    }
}
