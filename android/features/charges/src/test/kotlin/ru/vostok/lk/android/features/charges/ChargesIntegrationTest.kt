package ru.vostok.lk.android.features.charges

import java.net.ServerSocket
import java.time.Clock
import java.time.Duration
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import ru.vostok.lk.android.api.LkConfig
import ru.vostok.lk.android.features.accounts.AccountsPresenter
import ru.vostok.lk.android.impl.BindingsFormat
import ru.vostok.lk.android.impl.BindingsLk
import ru.vostok.lk.android.presentation.Wording
import ru.vostok.lk.android.test.DEMO_ACCOUNT
import ru.vostok.lk.android.test.DemoService
import ru.vostok.lk.android.test.MemorySecretStore
import ru.vostok.lk.android.test.RecordingNavigator
import ru.vostok.lk.android.test.RecordingSharing
import ru.vostok.lk.android.test.await
import ru.vostok.lk.android.test.presenterTest
import ru.vostok.lk.android.test.scratch

/** The dashboard and the charges over the real core and service, then the same device offline (R6–R8). */
class ChargesIntegrationTest {
    private val dir = scratch("charges")
    private val store = MemorySecretStore()
    private val wording = Wording(BindingsFormat, Clock.systemUTC())

    @Test
    fun `R6 R7 R8 the demo account and its document online, offline the same device shows what it kept, saying so`() =
        presenterTest { scope ->
            val online = BindingsLk.open(LkConfig(DemoService.shared.url, dir.path, 10), store) { _, _ -> }
            online.session.signIn("demo", "Demo-2026")
            val accounts = AccountsPresenter(online, wording, RecordingNavigator(), scope).state.await {
                !it.refreshing && it.rows.isNotEmpty()
            }
            val row = accounts.rows.single()
            assertEquals("Лицевой счёт $DEMO_ACCOUNT", row.title)
            assertTrue(row.debt.matches(Regex("К оплате: [0-9\u00a0]+,\\d\\d\u00a0₽")), row.debt)

            val sharing = RecordingSharing()
            val charges = ChargesPresenter(DEMO_ACCOUNT, null, online, wording, RecordingNavigator(), sharing, scope).state.await {
                !it.loading
            }
            assertNull(charges.error)
            assertTrue(charges.cards.size >= 5, "a card per service: ${charges.cards.size}")
            assertTrue(charges.cards.all { card -> card.columns.map { it.number } == listOf(2, 3, 4, 5, 6, 7) })
            assertTrue(charges.amountDue!!.startsWith("Итого к оплате: "))
            assertNull(charges.notice, "fresh from the service")
            online.close()

            // The same phone five minutes later, with the service out of reach.
            val later = Wording(BindingsFormat, Clock.offset(Clock.systemUTC(), Duration.ofMinutes(5)))
            val dead = ServerSocket(0).use { it.localPort }
            val offline = BindingsLk.open(LkConfig("http://127.0.0.1:$dead", dir.path, 2), store) { _, _ -> }
            val kept = AccountsPresenter(offline, later, RecordingNavigator(), scope).state.await { !it.refreshing }
            // The core answers the accounts from its store without saying so (Accounts.refresh
            // gives no time; requested), so the dashboard cannot say how old they are yet.
            assertEquals(listOf(row), kept.rows)
            val presenter = ChargesPresenter(DEMO_ACCOUNT, null, offline, later, RecordingNavigator(), sharing, scope)
            val stored = presenter.state.await { !it.loading }
            assertEquals(charges.cards, stored.cards)
            assertEquals("Нет связи с сервером. Показаны данные, обновлённые 5 минут назад", stored.notice)
            presenter.onEvent(ChargesEvent.OpenPdf)
            assertEquals("%PDF-", String(sharing.opened.single().second.copyOfRange(0, 5)), "the PDF made on the phone, offline")
        }
}
