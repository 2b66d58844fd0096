package ru.vostok.lk.android.features.accounts

import java.time.Clock
import java.time.ZoneOffset
import kotlinx.coroutines.CompletableDeferred
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import ru.vostok.lk.android.api.AccountSummary
import ru.vostok.lk.android.api.LkFailure
import ru.vostok.lk.android.api.PaymentState
import ru.vostok.lk.android.api.PaymentStatus
import ru.vostok.lk.android.impl.BindingsFormat
import ru.vostok.lk.android.presentation.Wording
import ru.vostok.lk.android.test.FakeLk
import ru.vostok.lk.android.test.RecordingNavigator
import ru.vostok.lk.android.test.Samples
import ru.vostok.lk.android.test.await
import ru.vostok.lk.android.test.offline
import ru.vostok.lk.android.test.presenterTest

class AccountsPresenterTest {
    private val lk = FakeLk(BindingsFormat)
    private val navigator = RecordingNavigator()
    private val wording = Wording(BindingsFormat, Clock.fixed(Samples.NOW, ZoneOffset.UTC))

    @Test
    fun `R6 the dashboard draws the store's accounts at once, each debt in the core's money`() = presenterTest { scope ->
        lk.accounts.accounts.value = listOf(Samples.account("1234.56"))
        val refreshed = CompletableDeferred<List<AccountSummary>>()
        lk.accounts.refreshWith = { refreshed.await() }
        val presenter = AccountsPresenter(lk, wording, navigator, scope)
        val state = presenter.state.value
        assertTrue(state.refreshing)
        val row = state.rows.single()
        assertEquals("Лицевой счёт 450001000001", row.title)
        assertEquals("К оплате: 1\u00a0234,56\u00a0₽", row.debt)
        assertTrue(row.hasDebt)
        assertTrue(row.description.startsWith("Лицевой счёт 450001000001. г. Курган"))
        refreshed.complete(lk.accounts.accounts.value)
        assertFalse(presenter.state.await { !it.refreshing }.refreshing)
    }

    @Test
    fun `an overpayment, no debt and a linked account read as such (R6, R19)`() = presenterTest { scope ->
        lk.accounts.accounts.value = listOf(
            Samples.account("-100.00"),
            Samples.account("0.00", own = false, number = "450001000002")
        )
        val rows = AccountsPresenter(lk, wording, navigator, scope).state.value.rows
        assertEquals("Переплата: 100,00\u00a0₽", rows[0].debt)
        assertFalse(rows[0].hasDebt)
        assertNull(rows[0].note)
        assertEquals("Задолженности нет", rows[1].debt)
        assertEquals("Добавлен из другого профиля", rows[1].note)
    }

    @Test
    fun `offline, the kept accounts stay on screen with a line saying so`() = presenterTest { scope ->
        lk.accounts.accounts.value = listOf(Samples.account())
        lk.accounts.refreshWith = { throw offline() }
        val state = AccountsPresenter(lk, wording, navigator, scope).state.await { !it.refreshing }
        assertEquals(1, state.rows.size)
        assertEquals("Нет связи с сервером. Показаны данные, сохранённые на устройстве", state.notice)
        assertNull(state.error)
    }

    @Test
    fun `offline with nothing kept, the core's reason is shown`() = presenterTest { scope ->
        lk.accounts.refreshWith = { throw offline() }
        val state = AccountsPresenter(lk, wording, navigator, scope).state.await { !it.refreshing }
        assertEquals("Нет связи с сервером. Проверьте интернет", state.error)
    }

    @Test
    fun `an expired session starts over at sign-in`() = presenterTest { scope ->
        lk.accounts.refreshWith = { throw LkFailure("session_expired", "Войдите в личный кабинет заново") }
        AccountsPresenter(lk, wording, navigator, scope).state.await { !it.refreshing }
        assertEquals(listOf("restart SignIn"), navigator.moves)
    }

    @Test
    fun `R23 a payment left open when the app died is told as the core resolved it`() = presenterTest { scope ->
        lk.payments.pending = {
            listOf(
                PaymentState(
                    "p1",
                    Samples.ACCOUNT,
                    Samples.money("250.00"),
                    PaymentStatus.SUCCEEDED,
                    "Оплата выполнена успешно",
                    null,
                    Samples.NOW,
                    true
                )
            )
        }
        val presenter = AccountsPresenter(lk, wording, navigator, scope)
        assertEquals(
            listOf("Платёж на 250,00\u00a0₽: Оплата выполнена успешно"),
            presenter.state.await {
                it.payments.isNotEmpty()
            }.payments
        )
        presenter.onEvent(AccountsEvent.DismissPayments)
        assertTrue(presenter.state.value.payments.isEmpty())
    }

    @Test
    fun `each account's actions go to its screens, pay opens its latest document's payment`() = presenterTest { scope ->
        lk.accounts.accounts.value = listOf(Samples.account())
        val presenter = AccountsPresenter(lk, wording, navigator, scope)
        presenter.onEvent(AccountsEvent.Open(Samples.ACCOUNT))
        presenter.onEvent(AccountsEvent.Charges(Samples.ACCOUNT))
        presenter.onEvent(AccountsEvent.Pay(Samples.ACCOUNT))
        presenter.onEvent(AccountsEvent.Meters(Samples.ACCOUNT))
        assertEquals(
            listOf(
                "go AccountDetails(account=450001000001)",
                "go Charges(account=450001000001, period=null)",
                "go Payment(account=450001000001, period=2026-10)",
                "go Meters(account=450001000001)"
            ),
            navigator.moves
        )
    }
}
