package ru.vostok.lk.android.features.charges

import java.time.Clock
import java.time.Duration
import java.time.LocalDate
import java.time.ZoneOffset
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import ru.vostok.lk.android.api.DocumentSummary
import ru.vostok.lk.android.api.LkFailure
import ru.vostok.lk.android.api.OutboxState
import ru.vostok.lk.android.impl.BindingsFormat
import ru.vostok.lk.android.presentation.Wording
import ru.vostok.lk.android.test.FakeLk
import ru.vostok.lk.android.test.RecordingNavigator
import ru.vostok.lk.android.test.RecordingSharing
import ru.vostok.lk.android.test.Samples
import ru.vostok.lk.android.test.cachedAt
import ru.vostok.lk.android.test.presenterTest

class ChargesPresenterTest {
    private val lk = FakeLk(BindingsFormat)
    private val navigator = RecordingNavigator()
    private val sharing = RecordingSharing()
    private val wording = Wording(BindingsFormat, Clock.fixed(Samples.NOW, ZoneOffset.UTC))

    init {
        val summary =
            DocumentSummary(
                Samples.PERIOD,
                LocalDate.of(2026, 11, 1),
                LocalDate.of(2026, 11, 10),
                Samples.money("1500.00"),
                Samples.money("1500.00")
            )
        lk.charges.documentsOf = { listOf(summary).cachedAt(Samples.NOW) }
        lk.charges.documentOf = { _, _ -> Samples.document().cachedAt(Samples.NOW) }
    }

    private fun presenter(scope: kotlinx.coroutines.CoroutineScope) =
        ChargesPresenter(Samples.ACCOUNT, null, lk, wording, navigator, sharing, scope)

    @Test
    fun `R7 each service is a card - column 8 as its headline, the other columns numbered beneath`() = presenterTest { scope ->
        val state = presenter(scope).state.value
        assertEquals("Платёжный документ за октябрь 2026", state.heading)
        assertEquals("Оплатить до 10.11.2026", state.due)
        val card = state.cards.first()
        assertEquals("Электроснабжение", card.service)
        assertEquals("1\u00a0000,00\u00a0₽", card.toPay)
        assertEquals(listOf(2, 3, 4, 5, 6, 7), card.columns.map { it.number })
        assertEquals("5,61 ₽ за 1\u00a0кВт·ч", card.columns.first().value)
        assertEquals("100\u00a0кВт·ч", card.columns.single { it.number == 5 }.value)
        assertTrue(card.description.startsWith("Электроснабжение, к оплате 1\u00a0000,00\u00a0₽. Тариф: "))
        assertEquals("Итого к оплате: 1\u00a0500,00\u00a0₽", state.amountDue)
        assertTrue(state.canPay)
        assertNull(state.notice)
    }

    @Test
    fun `an overpaid document says there is nothing to pay`() = presenterTest { scope ->
        lk.charges.documentOf = { _, _ -> Samples.document("-200.00").cachedAt(Samples.NOW) }
        val state = presenter(scope).state.value
        assertEquals("Переплата: 200,00\u00a0₽. Платить не нужно", state.amountDue)
        assertFalse(state.canPay)
    }

    @Test
    fun `a document the core took from the store says how old it is`() = presenterTest { scope ->
        lk.charges.documentOf = { _, _ -> Samples.document().cachedAt(Samples.NOW - Duration.ofHours(3)) }
        assertEquals("Нет связи с сервером. Показаны данные, обновлённые 3 часа назад", presenter(scope).state.value.notice)
    }

    @Test
    fun `R8 the PDF the core made is opened and shared under the document's name`() = presenterTest { scope ->
        val presenter = presenter(scope)
        presenter.onEvent(ChargesEvent.OpenPdf)
        presenter.onEvent(ChargesEvent.SharePdf)
        assertEquals("epd-450001000001-2026-10.pdf", sharing.opened.single().first)
        assertEquals("epd-450001000001-2026-10.pdf" to "Платёжный документ за октябрь 2026", sharing.shared.single())
    }

    @Test
    fun `R8 the e-mail goes to the typed address, and offline it says it will go later`() = presenterTest { scope ->
        val asked = mutableListOf<String?>()
        lk.charges.emailWith = { _, _, email ->
            asked.add(email)
            Samples.item(7, OutboxState.QUEUED)
        }
        val presenter = presenter(scope)
        presenter.onEvent(ChargesEvent.AskEmail)
        presenter.onEvent(ChargesEvent.EmailChanged(" ivanov@example.ru "))
        presenter.onEvent(ChargesEvent.SendEmail)
        assertEquals(listOf<String?>("ivanov@example.ru"), asked)
        assertNull(presenter.state.value.emailDialog)
        assertEquals("Документ будет отправлен, как только появится связь", presenter.state.value.message)
    }

    @Test
    fun `an e-mail the core refuses keeps the dialog open with its reason`() = presenterTest { scope ->
        lk.charges.emailWith = { _, _, _ -> throw LkFailure("invalid_input", "Адрес e-mail указан неверно", "email") }
        val presenter = presenter(scope)
        presenter.onEvent(ChargesEvent.AskEmail)
        presenter.onEvent(ChargesEvent.EmailChanged("ivanov@"))
        presenter.onEvent(ChargesEvent.SendEmail)
        assertEquals("Адрес e-mail указан неверно", presenter.state.value.emailDialog?.error)
    }

    @Test
    fun `pay opens the payment of the document shown`() = presenterTest { scope ->
        presenter(scope).onEvent(ChargesEvent.Pay)
        assertEquals(listOf("go Payment(account=450001000001, period=2026-10)"), navigator.moves)
    }
}
