package ru.vostok.lk.android.features.payment

import java.time.YearMonth
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch
import ru.vostok.lk.android.api.Channel
import ru.vostok.lk.android.api.Lk
import ru.vostok.lk.android.api.LkFailure
import ru.vostok.lk.android.api.PaymentDocument
import ru.vostok.lk.android.api.PaymentState
import ru.vostok.lk.android.api.PaymentStatus
import ru.vostok.lk.android.api.Split
import ru.vostok.lk.android.presentation.DocumentSharing
import ru.vostok.lk.android.presentation.Navigator
import ru.vostok.lk.android.presentation.PaymentBrowser
import ru.vostok.lk.android.presentation.Presenter
import ru.vostok.lk.android.presentation.Wording

/** One service's share of the payment. [input] is what the person typed on an editable line. */
data class PartRow(
    val serviceCode: String,
    val service: String,
    val amount: String,
    val editable: Boolean,
    val input: String,
    val fixed: Boolean
)

enum class PaymentStage { EDITING, STARTING, AT_BANK, DONE }

data class PaymentUiState(
    val title: String,
    val loading: Boolean = true,
    val total: String = "",
    val totalError: String? = null,
    val parts: List<PartRow> = emptyList(),
    val partsError: String? = null,
    /** "Итоговая сумма верна?": nothing is paid until the person says so (R9). */
    val totalConfirmed: Boolean = false,
    val confirmQuestion: String = "Итоговая сумма верна?",
    val receiptChannel: Channel = Channel.EMAIL,
    val receiptContact: String = "",
    val receiptError: String? = null,
    val stage: PaymentStage = PaymentStage.EDITING,
    /** The bank's answer as the core has it: "Оплата выполнена успешно", or why it failed. */
    val status: String? = null,
    val succeeded: Boolean = false,
    val note: String? = null,
    val error: String? = null
) {
    val canPay: Boolean
        get() = stage == PaymentStage.EDITING && !loading && totalConfirmed && totalError == null &&
            partsError == null && parts.isNotEmpty() && receiptContact.isNotBlank()
}

sealed interface PaymentEvent {
    data class TotalChanged(val text: String) : PaymentEvent

    data class PartChanged(val serviceCode: String, val text: String) : PaymentEvent

    data class ConfirmTotal(val confirmed: Boolean) : PaymentEvent

    data class ReceiptChannel(val channel: Channel) : PaymentEvent

    data class ReceiptContact(val text: String) : PaymentEvent

    data object Pay : PaymentEvent

    /** The app link (or lk://) brought the person back; the status is asked of the core, not read from the link. */
    data object Returned : PaymentEvent

    data object OpenReceipt : PaymentEvent

    data object Close : PaymentEvent
}

/** Where the acquirer sends the person back: the verified app link, or the custom scheme. */
data class PaymentReturn(val url: String)

/**
 * R9, R23: the total (editable), its split over services by the core, amounts fixed on the lines
 * the supplier allows, "Итоговая сумма верна?", the receipt's contact; then the acquirer's page
 * and the status as the core confirms it.
 */
class PaymentPresenter(
    private val account: String,
    private val period: YearMonth,
    private val lk: Lk,
    private val wording: Wording,
    private val navigator: Navigator,
    private val browser: PaymentBrowser,
    private val sharing: DocumentSharing,
    private val returnTo: PaymentReturn,
    private val scope: CoroutineScope
) : Presenter<PaymentUiState, PaymentEvent> {
    private val mutable = MutableStateFlow(PaymentUiState(title = "Оплата, л/с $account"))
    override val state: StateFlow<PaymentUiState> = mutable
    private var document: PaymentDocument? = null
    private var payment: PaymentState? = null
    private var waiting: Job? = null

    init {
        scope.launch { load() }
    }

    override fun onEvent(event: PaymentEvent) {
        when (event) {
            is PaymentEvent.TotalChanged -> edit { it.copy(total = event.text) }

            is PaymentEvent.PartChanged -> edit { s ->
                s.copy(parts = s.parts.map { if (it.serviceCode == event.serviceCode) it.copy(input = event.text) else it })
            }

            is PaymentEvent.ConfirmTotal -> mutable.update { it.copy(totalConfirmed = event.confirmed) }

            is PaymentEvent.ReceiptChannel -> mutable.update { it.copy(receiptChannel = event.channel, receiptError = null) }

            is PaymentEvent.ReceiptContact -> mutable.update { it.copy(receiptContact = event.text, receiptError = null) }

            PaymentEvent.Pay -> pay()

            PaymentEvent.Returned -> awaitResult()

            PaymentEvent.OpenReceipt -> openReceipt()

            PaymentEvent.Close -> navigator.back()
        }
    }

    private suspend fun load() {
        try {
            val doc = lk.charges.document(account, period).value
            document = doc
            val contact = try {
                lk.settings.profile().value
            } catch (e: LkFailure) {
                null
            }
            val channel = if (contact?.email == null && contact?.phone != null) Channel.PHONE else Channel.EMAIL
            val parts = doc.lines.map { PartRow(it.serviceCode, it.serviceName, "", it.editable, "", false) }
            mutable.update {
                it.copy(
                    loading = false,
                    total = wording.format.number(doc.totals.amountDue),
                    parts = parts,
                    receiptChannel = channel,
                    receiptContact = (if (channel == Channel.EMAIL) contact?.email else contact?.phone).orEmpty()
                )
            }
            resplit()
        } catch (e: LkFailure) {
            mutable.update { it.copy(loading = false, error = wording.failure(e)) }
        }
    }

    /** Every change of the total or of a line asks the core for the split again, and the total is to be confirmed anew. */
    private fun edit(change: (PaymentUiState) -> PaymentUiState) {
        if (mutable.value.stage != PaymentStage.EDITING) return
        mutable.update { change(it).copy(totalConfirmed = false) }
        resplit()
    }

    private fun resplit() {
        val doc = document ?: return
        val s = mutable.value
        try {
            val fixed = s.parts.filter { it.editable && it.input.isNotBlank() }.associate { it.serviceCode to lk.charges.amount(it.input) }
            show(lk.charges.split(doc, s.total, fixed))
        } catch (e: LkFailure) {
            mutable.update {
                if (e.field == "total") {
                    it.copy(totalError = e.text, partsError = null)
                } else {
                    it.copy(totalError = null, partsError = e.text)
                }
            }
        }
    }

    private fun show(split: Split) {
        val f = wording.format
        val byCode = split.parts.associateBy { it.serviceCode }
        mutable.update { s ->
            s.copy(
                totalError = null,
                partsError = null,
                parts = s.parts.map { row ->
                    val part = byCode[row.serviceCode]
                    row.copy(amount = part?.let { f.money(it.amount) } ?: f.money(java.math.BigDecimal.ZERO), fixed = part?.fixed == true)
                },
                confirmQuestion = "Итоговая сумма ${f.money(split.total)} верна?"
            )
        }
    }

    private fun pay() {
        val s = mutable.value
        if (!s.canPay) return
        mutable.update { it.copy(stage = PaymentStage.STARTING, error = null) }
        scope.launch {
            try {
                val fixed = s.parts.filter { it.editable && it.input.isNotBlank() }.associate {
                    it.serviceCode to
                        lk.charges.amount(it.input)
                }
                val started = lk.payments.start(account, period, s.total, fixed, s.receiptContact.trim(), returnTo.url)
                payment = started
                val url = started.confirmationUrl
                if (url == null) {
                    finish(started)
                } else {
                    mutable.update {
                        it.copy(stage = PaymentStage.AT_BANK, status = "Оплатите на странице банка. Данные карты приложение не видит")
                    }
                    browser.open(url)
                    awaitResult()
                }
            } catch (e: LkFailure) {
                mutable.update {
                    it.copy(
                        stage = PaymentStage.EDITING,
                        receiptError = if (e.field == "receipt_contact") e.text else null,
                        error = if (e.field == "receipt_contact") null else wording.failure(e)
                    )
                }
            }
        }
    }

    private fun awaitResult() {
        val started = payment ?: return
        if (waiting?.isActive == true) return
        mutable.update { it.copy(status = "Проверяем оплату в банке…") }
        waiting = scope.launch {
            try {
                finish(lk.payments.awaitResult(started.id))
            } catch (e: LkFailure) {
                // Not known yet (no connection): the next start asks again (Payments.resolvePending).
                mutable.update {
                    it.copy(status = "Результат оплаты пока неизвестен. ${wording.failure(e)}. Мы проверим его при следующем запуске")
                }
            }
        }
    }

    private fun finish(result: PaymentState) {
        payment = result
        val succeeded = result.status == PaymentStatus.SUCCEEDED
        mutable.update {
            it.copy(
                stage = PaymentStage.DONE,
                status = result.statusText,
                succeeded = succeeded,
                note = if (succeeded) SUCCESS_NOTE else null
            )
        }
    }

    private fun openReceipt() {
        val paid = payment ?: return
        try {
            sharing.open(lk.payments.receiptPdf(paid.id), "receipt-${paid.id}.pdf")
        } catch (e: LkFailure) {
            mutable.update { it.copy(error = wording.failure(e)) }
        }
    }

    private companion object {
        const val SUCCESS_NOTE = "Копия чека отправлена на указанный адрес. Распределение по услугам отразится в течение 3–5 рабочих дней"
    }
}
