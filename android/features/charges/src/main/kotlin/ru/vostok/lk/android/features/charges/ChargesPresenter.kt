package ru.vostok.lk.android.features.charges

import java.math.BigDecimal
import java.time.YearMonth
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch
import ru.vostok.lk.android.api.ChargeRow
import ru.vostok.lk.android.api.Lk
import ru.vostok.lk.android.api.LkFailure
import ru.vostok.lk.android.api.OutboxState
import ru.vostok.lk.android.api.PaymentDocument
import ru.vostok.lk.android.presentation.Destination
import ru.vostok.lk.android.presentation.DocumentSharing
import ru.vostok.lk.android.presentation.Navigator
import ru.vostok.lk.android.presentation.Presenter
import ru.vostok.lk.android.presentation.Wording

/** A column of the table: its number as printed, its name and the value. */
data class Column(val number: Int, val label: String, val value: String)

/** R7 on a phone: one card per service, column 8 as the headline, the other seven beneath. */
data class ChargeCard(val service: String, val toPay: String, val columns: List<Column>, val description: String)

data class PeriodChoice(val period: YearMonth, val title: String)

data class ChargesState(
    val title: String,
    val loading: Boolean = true,
    val periods: List<PeriodChoice> = emptyList(),
    val selected: YearMonth? = null,
    /** "Платёжный документ за октябрь 2026". */
    val heading: String? = null,
    /** "Оплатить до 10.11.2026". */
    val due: String? = null,
    val cards: List<ChargeCard> = emptyList(),
    val totals: List<Column> = emptyList(),
    /** "Итого к оплате: 1 234,56 ₽" or the credit when overpaid. */
    val amountDue: String? = null,
    val recalculations: List<String> = emptyList(),
    val canPay: Boolean = false,
    val notice: String? = null,
    val error: String? = null,
    /** The e-mail dialog: null when closed. */
    val emailDialog: EmailDialog? = null,
    val message: String? = null
)

data class EmailDialog(val address: String, val busy: Boolean = false, val error: String? = null)

sealed interface ChargesEvent {
    data class SelectPeriod(val period: YearMonth) : ChargesEvent

    data object Refresh : ChargesEvent

    data object Pay : ChargesEvent

    /** R8: the document as printed, in the system's PDF viewer. */
    data object OpenPdf : ChargesEvent

    data object SharePdf : ChargesEvent

    data object AskEmail : ChargesEvent

    data class EmailChanged(val address: String) : ChargesEvent

    data object SendEmail : ChargesEvent

    data object CloseEmail : ChargesEvent

    data object DismissMessage : ChargesEvent
}

/** R7, R8: the payment documents of an account, the 8 columns made readable, the PDF and its e-mail. */
class ChargesPresenter(
    private val account: String,
    period: YearMonth?,
    private val lk: Lk,
    private val wording: Wording,
    private val navigator: Navigator,
    private val sharing: DocumentSharing,
    private val scope: CoroutineScope
) : Presenter<ChargesState, ChargesEvent> {
    private val mutable = MutableStateFlow(ChargesState(title = "Начисления, л/с $account"))
    override val state: StateFlow<ChargesState> = mutable
    private var document: PaymentDocument? = null

    init {
        load(period)
    }

    override fun onEvent(event: ChargesEvent) {
        when (event) {
            is ChargesEvent.SelectPeriod -> load(event.period)

            ChargesEvent.Refresh -> load(mutable.value.selected)

            ChargesEvent.Pay -> document?.let { navigator.go(Destination.Payment(account, it.period)) }

            ChargesEvent.OpenPdf -> pdf { bytes, doc -> sharing.open(bytes, fileName(doc)) }

            ChargesEvent.SharePdf -> pdf { bytes, doc -> sharing.share(bytes, fileName(doc), heading(doc)) }

            ChargesEvent.AskEmail -> mutable.update { it.copy(emailDialog = EmailDialog("")) }

            is ChargesEvent.EmailChanged -> mutable.update {
                it.copy(emailDialog = it.emailDialog?.copy(address = event.address, error = null))
            }

            ChargesEvent.SendEmail -> sendEmail()

            ChargesEvent.CloseEmail -> mutable.update { it.copy(emailDialog = null) }

            ChargesEvent.DismissMessage -> mutable.update { it.copy(message = null) }
        }
    }

    private fun load(period: YearMonth?) {
        mutable.update { it.copy(loading = true, error = null) }
        scope.launch {
            try {
                val documents = lk.charges.documents(account)
                val periods = documents.value.map { PeriodChoice(it.period, wording.format.period(it.period)) }
                val chosen = period ?: documents.value.firstOrNull()?.period
                if (chosen == null) {
                    mutable.update { it.copy(loading = false, periods = periods, error = "Платёжных документов по этому счёту пока нет") }
                    return@launch
                }
                val asked = wording.now()
                val cached = lk.charges.document(account, chosen)
                document = cached.value
                mutable.update {
                    show(cached.value, it).copy(loading = false, periods = periods, notice = wording.freshness(cached, asked))
                }
            } catch (e: LkFailure) {
                mutable.update { it.copy(loading = false, error = wording.failure(e)) }
            }
        }
    }

    private fun show(doc: PaymentDocument, state: ChargesState): ChargesState {
        val f = wording.format
        val t = doc.totals
        val amountDue = if (t.credit > BigDecimal.ZERO) {
            "Переплата: ${f.money(t.credit)}. Платить не нужно"
        } else {
            "Итого к оплате: ${f.money(t.amountDue)}"
        }
        return state.copy(
            selected = doc.period,
            heading = heading(doc),
            due = "Оплатить до ${f.date(doc.dueDate)}",
            cards = doc.lines.map(::card),
            totals = listOf(
                Column(3, "Задолженность (+) / переплата (−)", f.money(t.debt)),
                Column(4, "Оплачено", f.money(t.paid)),
                Column(6, "Начислено", f.money(t.charged)),
                Column(7, "Перерасчёт", f.money(t.recalculation)),
                Column(8, "Итого к оплате", f.money(t.toPay))
            ),
            amountDue = amountDue,
            recalculations = doc.recalculations.map { r ->
                val service = doc.lines.firstOrNull { it.serviceCode == r.serviceCode }?.serviceName ?: r.serviceCode
                "$service: ${f.money(r.amount)} — ${r.reason}"
            },
            canPay = t.amountDue > BigDecimal.ZERO
        )
    }

    private fun card(line: ChargeRow): ChargeCard {
        val f = wording.format
        val columns = listOf(
            Column(2, "Тариф", "${f.number(line.tariff)} ₽ за ${f.quantity(BigDecimal.ONE, line.unit)}"),
            Column(3, "Задолженность (+) / переплата (−)", f.money(line.debt)),
            Column(4, "Оплачено в прошлом периоде", f.money(line.paid)),
            Column(5, "Объём", f.quantity(line.volume, line.unit)),
            Column(6, "Начислено", f.money(line.charged)),
            Column(7, "Перерасчёт", f.money(line.recalculation))
        )
        val toPay = f.money(line.toPay)
        val description = "${line.serviceName}, к оплате $toPay. " + columns.joinToString(". ") { "${it.label}: ${it.value}" }
        return ChargeCard(line.serviceName, toPay, columns, description)
    }

    private fun heading(doc: PaymentDocument) = "Платёжный документ за ${wording.format.period(doc.period)}"

    private fun fileName(doc: PaymentDocument) = "epd-${doc.account}-${doc.period}.pdf"

    private fun pdf(use: (ByteArray, PaymentDocument) -> Unit) {
        val doc = document ?: return
        try {
            use(lk.charges.pdf(doc), doc)
        } catch (e: LkFailure) {
            mutable.update { it.copy(error = wording.failure(e)) }
        }
    }

    private fun sendEmail() {
        val doc = document ?: return
        val dialog = mutable.value.emailDialog ?: return
        mutable.update { it.copy(emailDialog = dialog.copy(busy = true, error = null)) }
        scope.launch {
            try {
                val item = lk.charges.email(account, doc.period, dialog.address.trim().ifEmpty { null })
                val sent = if (item.state == OutboxState.QUEUED) {
                    "Документ будет отправлен, как только появится связь"
                } else {
                    "Документ отправлен на e-mail"
                }
                mutable.update { it.copy(emailDialog = null, message = sent) }
            } catch (e: LkFailure) {
                mutable.update { it.copy(emailDialog = dialog.copy(busy = false, error = wording.failure(e))) }
            }
        }
    }
}
