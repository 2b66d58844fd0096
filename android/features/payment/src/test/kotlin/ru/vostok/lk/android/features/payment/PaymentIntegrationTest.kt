package ru.vostok.lk.android.features.payment

import java.time.Clock
import kotlinx.coroutines.CoroutineScope
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import ru.vostok.lk.android.api.LkConfig
import ru.vostok.lk.android.impl.BindingsFormat
import ru.vostok.lk.android.impl.BindingsLk
import ru.vostok.lk.android.presentation.PaymentBrowser
import ru.vostok.lk.android.presentation.Wording
import ru.vostok.lk.android.test.DEMO_ACCOUNT
import ru.vostok.lk.android.test.DemoService
import ru.vostok.lk.android.test.MemorySecretStore
import ru.vostok.lk.android.test.RecordingNavigator
import ru.vostok.lk.android.test.RecordingSharing
import ru.vostok.lk.android.test.await
import ru.vostok.lk.android.test.presenterTest
import ru.vostok.lk.android.test.scratch

/** The payment presenter over the real core, the real service and its sandbox acquirer (R9, R23). */
class PaymentIntegrationTest {
    private val demo = DemoService.shared
    private val lk = BindingsLk.open(LkConfig(demo.url, scratch("payment").path, 10), MemorySecretStore()) { _, _ -> }
    private val wording = Wording(BindingsFormat, Clock.systemUTC())
    private val sharing = RecordingSharing()

    /** The person on the acquirer's page: pays with the test card; the page sends them back to the app. */
    private class SandboxBrowser(private val demo: DemoService) : PaymentBrowser {
        val returnedTo = mutableListOf<String>()

        override fun open(url: String) {
            returnedTo.add(demo.payOnAcquirerPage(url))
        }
    }

    private suspend fun presenter(scope: CoroutineScope, browser: PaymentBrowser): PaymentPresenter {
        lk.session.signIn("demo", "Demo-2026")
        val period = lk.charges.documents(DEMO_ACCOUNT).value.first().period
        return PaymentPresenter(
            DEMO_ACCOUNT, period, lk, wording, RecordingNavigator(), browser, sharing,
            PaymentReturn(
                "lk://payments/return"
            ),
            scope
        )
    }

    @Test
    fun `R9 the core splits the typed total to the kopeck, keeping an amount fixed on an editable line`() = presenterTest { scope ->
        val presenter = presenter(scope, SandboxBrowser(demo))
        val loaded = presenter.state.await { !it.loading && it.parts.isNotEmpty() }
        val editable = loaded.parts.first { it.editable }
        presenter.onEvent(PaymentEvent.TotalChanged("1 500,00"))
        presenter.onEvent(PaymentEvent.PartChanged(editable.serviceCode, "200"))
        val state = presenter.state.value
        assertEquals("200,00\u00a0₽", state.parts.single { it.serviceCode == editable.serviceCode }.amount)
        assertEquals("Итоговая сумма 1\u00a0500,00\u00a0₽ верна?", state.confirmQuestion)
        presenter.onEvent(PaymentEvent.TotalChanged("15,00,0"))
        assertTrue(presenter.state.value.totalError!!.isNotBlank(), "the core's reason for the typo")
        presenter.onEvent(PaymentEvent.PartChanged(editable.serviceCode, "200,555"))
        presenter.onEvent(PaymentEvent.TotalChanged("1500"))
        assertTrue(
            "Копеек" in presenter.state.value.partsError.orEmpty(),
            "three decimals refused by the core: ${presenter.state.value.partsError}"
        )
    }

    @Test
    fun `R9 R23 paid on the sandbox page, back through lk, and the core confirms the success`() = presenterTest { scope ->
        val browser = SandboxBrowser(demo)
        val presenter = presenter(scope, browser)
        presenter.state.await { !it.loading && it.parts.isNotEmpty() }
        presenter.onEvent(PaymentEvent.TotalChanged("250,00"))
        presenter.onEvent(PaymentEvent.ConfirmTotal(true))
        presenter.onEvent(PaymentEvent.Pay)
        val done = presenter.state.await(30_000) { it.stage == PaymentStage.DONE }
        assertEquals(listOf("lk://payments/return"), browser.returnedTo)
        presenter.onEvent(PaymentEvent.Returned)
        assertEquals("Оплата выполнена успешно", done.status)
        assertTrue(done.succeeded)
        presenter.onEvent(PaymentEvent.OpenReceipt)
        assertEquals("%PDF-", String(sharing.opened.single().second.copyOfRange(0, 5)))
        assertTrue(lk.payments.resolvePending().isEmpty(), "nothing left open")
    }
}
