package ru.vostok.lk.android.features.payment

import java.math.BigDecimal
import java.time.Clock
import java.time.ZoneOffset
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.CoroutineScope
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import ru.vostok.lk.android.api.Channel
import ru.vostok.lk.android.api.LkFailure
import ru.vostok.lk.android.api.Notifications
import ru.vostok.lk.android.api.PaymentState
import ru.vostok.lk.android.api.PaymentStatus
import ru.vostok.lk.android.api.Profile
import ru.vostok.lk.android.api.Role
import ru.vostok.lk.android.api.Split
import ru.vostok.lk.android.api.SplitPart
import ru.vostok.lk.android.impl.BindingsFormat
import ru.vostok.lk.android.presentation.Wording
import ru.vostok.lk.android.test.FakeLk
import ru.vostok.lk.android.test.RecordingBrowser
import ru.vostok.lk.android.test.RecordingNavigator
import ru.vostok.lk.android.test.RecordingSharing
import ru.vostok.lk.android.test.Samples
import ru.vostok.lk.android.test.await
import ru.vostok.lk.android.test.cachedAt
import ru.vostok.lk.android.test.presenterTest

class PaymentPresenterTest {
    private val lk = FakeLk(BindingsFormat)
    private val navigator = RecordingNavigator()
    private val browser = RecordingBrowser()
    private val sharing = RecordingSharing()
    private val wording = Wording(BindingsFormat, Clock.fixed(Samples.NOW, ZoneOffset.UTC))
    private val splits = mutableListOf<Pair<String, Map<String, BigDecimal>>>()

    init {
        lk.charges.documentOf = { _, _ -> Samples.document().cachedAt(Samples.NOW) }
        lk.settings.profileWith = {
            Profile(
                "demo",
                Role.RESIDENT,
                "+79120000001",
                "demo@example.ru",
                "Курган",
                emptyList(),
                Notifications(true, true, true, false)
            ).cachedAt(Samples.NOW)
        }
        // What the core's allocation answers for the sample document: the fixed line kept, the rest in proportion.
        lk.charges.splitWith = { _, total, fixed ->
            splits.add(total to fixed)
            if (total == "15,00,0") throw LkFailure("invalid_input", "«15,00,0»: лишняя запятая", "total")
            val water = fixed["cold_water"] ?: BigDecimal("500.00")
            val sum = BigDecimal(total.replace("\u00a0", "").replace(" ", "").replace(',', '.'))
            Split(sum, listOf(SplitPart("electricity", sum - water, false), SplitPart("cold_water", water, "cold_water" in fixed)))
        }
    }

    private fun presenter(scope: CoroutineScope) = PaymentPresenter(
        Samples.ACCOUNT, Samples.PERIOD, lk, wording, navigator, browser, sharing,
        PaymentReturn(
            "lk://payments/return"
        ),
        scope
    )

    private fun paid(status: PaymentStatus, text: String) = PaymentState(
        "p1",
        Samples.ACCOUNT,
        BigDecimal("1500.00"),
        status,
        text,
        null,
        Samples.NOW,
        status == PaymentStatus.SUCCEEDED
    )

    @Test
    fun `R9 the total starts at the amount due, split by the core, receipt to the profile's e-mail`() = presenterTest { scope ->
        val state = presenter(scope).state.value
        assertEquals("1\u00a0500", state.total)
        assertEquals(listOf("1\u00a0000,00\u00a0₽", "500,00\u00a0₽"), state.parts.map { it.amount })
        assertEquals(listOf(false, true), state.parts.map { it.editable })
        assertEquals("Итоговая сумма 1\u00a0500,00\u00a0₽ верна?", state.confirmQuestion)
        assertEquals(Channel.EMAIL to "demo@example.ru", state.receiptChannel to state.receiptContact)
        assertFalse(state.canPay, "not before the total is confirmed")
    }

    @Test
    fun `R9 an amount typed on an editable line is kept by the split, and the total must be confirmed again`() = presenterTest { scope ->
        val presenter = presenter(scope)
        presenter.onEvent(PaymentEvent.ConfirmTotal(true))
        assertTrue(presenter.state.value.canPay)
        presenter.onEvent(PaymentEvent.PartChanged("cold_water", "200"))
        val state = presenter.state.value
        assertEquals(mapOf("cold_water" to BigDecimal("200")), splits.last().second)
        assertEquals(listOf("1\u00a0300,00\u00a0₽", "200,00\u00a0₽"), state.parts.map { it.amount })
        assertTrue(state.parts[1].fixed)
        assertFalse(state.totalConfirmed)
        assertFalse(state.canPay)
    }

    @Test
    fun `a typo in the total is shown under it in the core's words and blocks the payment`() = presenterTest { scope ->
        val presenter = presenter(scope)
        presenter.onEvent(PaymentEvent.TotalChanged("15,00,0"))
        presenter.onEvent(PaymentEvent.ConfirmTotal(true))
        val state = presenter.state.value
        assertEquals("«15,00,0»: лишняя запятая", state.totalError)
        assertFalse(state.canPay)
        presenter.onEvent(PaymentEvent.TotalChanged("1 000,00"))
        assertNull(presenter.state.value.totalError)
    }

    @Test
    fun `R23 paying opens the acquirer's page and the result is the core's, not the return link's`() = presenterTest { scope ->
        val result = CompletableDeferred<PaymentState>()
        var started: List<Any>? = null
        lk.payments.startWith = { account, period, total, fixed, contact, back ->
            started = listOf(account, period, total, fixed, contact, back)
            paid(PaymentStatus.PENDING, "Ожидает подтверждения банка").copy(confirmationUrl = "http://127.0.0.1/sandbox-acquirer/pay/1")
        }
        lk.payments.awaitWith = { result.await() }
        val presenter = presenter(scope)
        presenter.onEvent(PaymentEvent.ConfirmTotal(true))
        presenter.onEvent(PaymentEvent.Pay)
        assertEquals(
            listOf(
                Samples.ACCOUNT,
                Samples.PERIOD,
                "1\u00a0500",
                emptyMap<String, BigDecimal>(),
                "demo@example.ru",
                "lk://payments/return"
            ),
            started
        )
        assertEquals(listOf("http://127.0.0.1/sandbox-acquirer/pay/1"), browser.opened)
        assertEquals(PaymentStage.AT_BANK, presenter.state.value.stage)
        presenter.onEvent(PaymentEvent.Returned)
        assertEquals("Проверяем оплату в банке…", presenter.state.value.status)
        result.complete(paid(PaymentStatus.SUCCEEDED, "Оплата выполнена успешно"))
        val done = presenter.state.await { it.stage == PaymentStage.DONE }
        assertEquals("Оплата выполнена успешно", done.status)
        assertTrue(done.succeeded)
        presenter.onEvent(PaymentEvent.OpenReceipt)
        assertEquals("receipt-p1.pdf", sharing.opened.single().first)
    }

    @Test
    fun `a declined payment says why, in the core's words`() = presenterTest { scope ->
        lk.payments.startWith = { _, _, _, _, _, _ -> paid(PaymentStatus.PENDING, "").copy(confirmationUrl = "http://bank/1") }
        lk.payments.awaitWith = { paid(PaymentStatus.DECLINED, "Платёж отклонён банком") }
        val presenter = presenter(scope)
        presenter.onEvent(PaymentEvent.ConfirmTotal(true))
        presenter.onEvent(PaymentEvent.Pay)
        val done = presenter.state.await { it.stage == PaymentStage.DONE }
        assertEquals("Платёж отклонён банком", done.status)
        assertFalse(done.succeeded)
        assertNull(done.note)
    }

    @Test
    fun `a receipt contact the core refuses goes under the contact and nothing is opened`() = presenterTest { scope ->
        lk.payments.startWith = { _, _, _, _, _, _ -> throw LkFailure("invalid_input", "Телефон указан неверно", "receipt_contact") }
        val presenter = presenter(scope)
        presenter.onEvent(PaymentEvent.ReceiptChannel(Channel.PHONE))
        presenter.onEvent(PaymentEvent.ReceiptContact("12345"))
        presenter.onEvent(PaymentEvent.ConfirmTotal(true))
        presenter.onEvent(PaymentEvent.Pay)
        val state = presenter.state.value
        assertEquals("Телефон указан неверно", state.receiptError)
        assertEquals(PaymentStage.EDITING, state.stage)
        assertTrue(browser.opened.isEmpty())
    }

    @Test
    fun `a wait cut short by the network says the next start will ask again`() = presenterTest { scope ->
        lk.payments.startWith = { _, _, _, _, _, _ -> paid(PaymentStatus.PENDING, "").copy(confirmationUrl = "http://bank/1") }
        lk.payments.awaitWith = { throw LkFailure("offline", "Нет связи с сервером. Проверьте интернет") }
        val presenter = presenter(scope)
        presenter.onEvent(PaymentEvent.ConfirmTotal(true))
        presenter.onEvent(PaymentEvent.Pay)
        assertEquals(
            "Результат оплаты пока неизвестен. Нет связи с сервером. Проверьте интернет. Мы проверим его при следующем запуске",
            presenter.state.value.status
        )
    }
}
