package ru.vostok.lk.android.features.accounts

import java.time.Clock
import java.time.ZoneOffset
import kotlinx.coroutines.CompletableDeferred
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import ru.vostok.lk.android.api.AccountDetails
import ru.vostok.lk.android.api.Cached
import ru.vostok.lk.android.api.MeasureUnit
import ru.vostok.lk.android.api.ServiceTariffs
import ru.vostok.lk.android.api.TariffZone
import ru.vostok.lk.android.api.ZonePrice
import ru.vostok.lk.android.impl.BindingsFormat
import ru.vostok.lk.android.presentation.Wording
import ru.vostok.lk.android.test.FakeLk
import ru.vostok.lk.android.test.Samples
import ru.vostok.lk.android.test.await
import ru.vostok.lk.android.test.cachedAt
import ru.vostok.lk.android.test.offline
import ru.vostok.lk.android.test.presenterTest

class AccountDetailsPresenterTest {
    private val lk = FakeLk(BindingsFormat)
    private val wording = Wording(BindingsFormat, Clock.fixed(Samples.NOW, ZoneOffset.UTC))

    private fun details(debt: String = "1234.56") = AccountDetails(
        number = Samples.ACCOUNT,
        owner = "Иванов Иван Иванович",
        address = "г. Курган, ул. Ленина, д. 1, кв. 1",
        city = "Курган",
        own = true,
        debt = Samples.money(debt),
        services = listOf(
            ServiceTariffs(
                "electricity",
                "Электроснабжение",
                MeasureUnit.KWH,
                listOf(ZonePrice(TariffZone.DAY, Samples.money("6.1200")), ZonePrice(TariffZone.NIGHT, Samples.money("3.0600")))
            ),
            ServiceTariffs(
                "cold_water",
                "Холодное водоснабжение",
                MeasureUnit.CUBIC_METRE,
                listOf(ZonePrice(TariffZone.SINGLE, Samples.money("45.30")))
            )
        ),
        suppliers = listOf(Samples.payee)
    )

    @Test
    fun `R6 the owner, address, city and debt, each service's tariffs by zone, each supplier's requisites`() = presenterTest { scope ->
        lk.accounts.detailsOf = { number -> details().also { assertEquals(Samples.ACCOUNT, number) }.cachedAt(Samples.NOW) }
        val state = AccountDetailsPresenter(Samples.ACCOUNT, lk, wording, scope).state.await { !it.loading }
        assertEquals("Лицевой счёт 450001000001", state.title)
        assertEquals(listOf("Лицевой счёт", "Услуги и тарифы", "Реквизиты: АО «ЭК «Восток»"), state.sections.map { it.title })
        val head = state.sections[0].fields.associate { it.label to it.value }
        assertEquals("Иванов Иван Иванович", head["Владелец"])
        assertEquals("г. Курган, ул. Ленина, д. 1, кв. 1", head["Адрес объекта"])
        assertEquals("Курган", head["Населённый пункт"])
        assertEquals("1\u00a0234,56\u00a0₽", head["Задолженность"])
        assertEquals(
            listOf(
                "Электроснабжение" to "День (Т1): 6,12 ₽ за 1\u00a0кВт·ч; Ночь (Т2): 3,06 ₽ за 1\u00a0кВт·ч",
                "Холодное водоснабжение" to "45,3 ₽ за 1\u00a0м³"
            ),
            state.sections[1].fields.map { it.label to it.value }
        )
        val requisites = state.sections[2].fields.associate { it.label to it.value }
        assertEquals("4501000001", requisites["ИНН"])
        assertEquals("043735650", requisites["БИК"])
        assertEquals("40702810000000000001", requisites["Расчётный счёт"])
        assertEquals("30101810100000000650", requisites["Корреспондентский счёт"])
        assertNull(state.notice)
        assertNull(state.error)
    }

    @Test
    fun `an overpayment and no debt read as such`() = presenterTest { scope ->
        lk.accounts.detailsOf = { details("-100.00").cachedAt(Samples.NOW) }
        val overpaid = AccountDetailsPresenter(Samples.ACCOUNT, lk, wording, scope).state.await { !it.loading }
        assertEquals("переплата 100,00\u00a0₽", overpaid.sections[0].fields.single { it.label == "Задолженность" }.value)
        lk.accounts.detailsOf = { details("0.00").cachedAt(Samples.NOW) }
        val none = AccountDetailsPresenter(Samples.ACCOUNT, lk, wording, scope).state.await { !it.loading }
        assertEquals("нет", none.sections[0].fields.single { it.label == "Задолженность" }.value)
    }

    @Test
    fun `offline, the kept details show with their age, then a refresh brings them fresh`() = presenterTest { scope ->
        lk.accounts.detailsOf = { details().cachedAt(Samples.NOW.minusSeconds(2 * 86_400)) }
        val presenter = AccountDetailsPresenter(Samples.ACCOUNT, lk, wording, scope)
        val kept = presenter.state.await { !it.loading }
        assertEquals("Нет связи с сервером. Показаны данные, обновлённые 2 дня назад", kept.notice)
        assertEquals(3, kept.sections.size)

        val fresh = CompletableDeferred<Cached<AccountDetails>>()
        lk.accounts.detailsOf = { fresh.await() }
        presenter.onEvent(AccountDetailsEvent.Refresh)
        assertTrue(presenter.state.value.loading, "loading while the service answers")
        fresh.complete(details().cachedAt(Samples.NOW))
        assertNull(presenter.state.await { !it.loading }.notice)
    }

    @Test
    fun `never loaded and offline, the core's reason is shown`() = presenterTest { scope ->
        lk.accounts.detailsOf = { throw offline() }
        val state = AccountDetailsPresenter(Samples.ACCOUNT, lk, wording, scope).state.await { !it.loading }
        assertEquals("Нет связи с сервером. Проверьте интернет", state.error)
        assertTrue(state.sections.isEmpty())
    }
}
