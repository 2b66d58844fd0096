package ru.vostok.lk.android.test

import java.math.BigDecimal
import java.time.Instant
import java.time.LocalDate
import java.time.YearMonth
import ru.vostok.lk.android.api.AccountSummary
import ru.vostok.lk.android.api.ChargeRow
import ru.vostok.lk.android.api.ChargeTotals
import ru.vostok.lk.android.api.Finding
import ru.vostok.lk.android.api.MeasureUnit
import ru.vostok.lk.android.api.MeterItem
import ru.vostok.lk.android.api.MeterKind
import ru.vostok.lk.android.api.Meters
import ru.vostok.lk.android.api.OutboxItem
import ru.vostok.lk.android.api.OutboxKind
import ru.vostok.lk.android.api.OutboxState
import ru.vostok.lk.android.api.PaymentDocument
import ru.vostok.lk.android.api.ReadingCheck
import ru.vostok.lk.android.api.Severity
import ru.vostok.lk.android.api.Supplier
import ru.vostok.lk.android.api.TariffZone
import ru.vostok.lk.android.api.Verification
import ru.vostok.lk.android.api.ZoneResult
import ru.vostok.lk.android.api.ZoneValue

/** Data for the fakes, shaped as the demo's (the numbers are the tests' own). */
object Samples {
    const val ACCOUNT = "450001000001"
    val NOW: Instant = Instant.parse(DemoService.WINDOW_DAY)
    val PERIOD: YearMonth = YearMonth.of(2026, 10)

    fun money(text: String) = BigDecimal(text)

    fun account(debt: String = "1234.56", own: Boolean = true, number: String = ACCOUNT) = AccountSummary(
        number = number,
        owner = "Иванов Иван Иванович",
        address = "г. Курган, ул. Ленина, д. 1, кв. 1",
        own = own,
        debt = money(debt),
        documentPeriod = PERIOD
    )

    val payee =
        Supplier("АО «ЭК «Восток»", "4501000001", "450101001", "ПАО Сбербанк", "043735650", "40702810000000000001", "30101810100000000650")

    fun line(code: String, name: String, toPay: String, editable: Boolean = false) = ChargeRow(
        serviceCode = code,
        serviceName = name,
        unit = MeasureUnit.KWH,
        tariff = money("5.6100"),
        debt = money("0.00"),
        paid = money("0.00"),
        volume = money("100"),
        charged = money(toPay),
        recalculation = money("0.00"),
        toPay = money(toPay),
        editable = editable
    )

    fun document(amountDue: String = "1500.00") = PaymentDocument(
        account = ACCOUNT,
        owner = "Иванов Иван Иванович",
        address = "г. Курган, ул. Ленина, д. 1, кв. 1",
        period = PERIOD,
        issuedOn = LocalDate.of(2026, 11, 1),
        dueDate = LocalDate.of(2026, 11, 10),
        payee = payee,
        lines = listOf(
            line("electricity", "Электроснабжение", "1000.00"),
            line("cold_water", "Холодное водоснабжение", "500.00", editable = true)
        ),
        totals = ChargeTotals(
            debt = money("0.00"),
            paid = money("0.00"),
            charged = money(amountDue),
            recalculation = money("0.00"),
            toPay = money(amountDue),
            amountDue = money(amountDue).max(BigDecimal.ZERO),
            credit = money(amountDue).negate().max(BigDecimal.ZERO)
        ),
        recalculations = emptyList()
    )

    fun meter(
        id: String = "m-hot",
        kind: MeterKind = MeterKind.HOT_WATER,
        verification: Verification = Verification.VALID,
        zones: List<TariffZone> = listOf(TariffZone.SINGLE),
        start: String = "99990.5"
    ) = MeterItem(
        id = id,
        kind = kind,
        serial = "12345678",
        serviceCode = "hot_water",
        unit = MeasureUnit.CUBIC_METRE,
        integerDigits = 5,
        fractionDigits = 3,
        nextVerification = LocalDate.of(2030, 1, 1),
        verification = verification,
        zones = zones,
        start = zones.map { ZoneValue(it, money(start)) },
        current = null,
        currentTakenAt = null
    )

    fun meters(vararg meter: MeterItem) = Meters(
        today = LocalDate.of(2026, 11, 21),
        windowOpen = true,
        windowFirstDay = 15,
        windowLastDay = 25,
        period = YearMonth.of(2026, 11),
        meters = meter.toList()
    )

    fun check(consumption: String, vararg findings: Finding) = ReadingCheck(
        zones = listOf(ZoneResult(TariffZone.SINGLE, money("3.5"), money("99990.5"), money(consumption))),
        findings = findings.toList(),
        refused = findings.any { it.severity == Severity.REFUSE },
        toConfirm = findings.filter { it.severity == Severity.CONFIRM }.map { it.code },
        period = YearMonth.of(2026, 11)
    )

    fun item(id: Long, state: OutboxState, error: ru.vostok.lk.android.api.LkFailure? = null) =
        OutboxItem(id, OutboxKind.READING, "Показания: горячая вода", NOW, state, 1, error, false)
}
