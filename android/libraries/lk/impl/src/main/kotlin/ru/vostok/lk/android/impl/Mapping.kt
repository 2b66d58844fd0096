package ru.vostok.lk.android.impl

import ru.vostok.lk.CachedAccountDetails
import ru.vostok.lk.OutboxEntry
import ru.vostok.lk.android.api.AccountDetails
import ru.vostok.lk.android.api.AccountPreview
import ru.vostok.lk.android.api.AccountSummary
import ru.vostok.lk.android.api.Cached
import ru.vostok.lk.android.api.Channel
import ru.vostok.lk.android.api.ChargeRow
import ru.vostok.lk.android.api.ChargeTotals
import ru.vostok.lk.android.api.DocumentSummary
import ru.vostok.lk.android.api.Finding
import ru.vostok.lk.android.api.MeasureUnit
import ru.vostok.lk.android.api.MeterItem
import ru.vostok.lk.android.api.MeterKind
import ru.vostok.lk.android.api.Meters
import ru.vostok.lk.android.api.Notifications
import ru.vostok.lk.android.api.OutboxItem
import ru.vostok.lk.android.api.OutboxKind
import ru.vostok.lk.android.api.OutboxState
import ru.vostok.lk.android.api.PaymentDocument
import ru.vostok.lk.android.api.PaymentState
import ru.vostok.lk.android.api.PaymentStatus
import ru.vostok.lk.android.api.Profile
import ru.vostok.lk.android.api.ProfileAccount
import ru.vostok.lk.android.api.ReadingCheck
import ru.vostok.lk.android.api.Recalculation
import ru.vostok.lk.android.api.RegistrationStatus
import ru.vostok.lk.android.api.RegistrationStep
import ru.vostok.lk.android.api.Role
import ru.vostok.lk.android.api.ServiceTariffs
import ru.vostok.lk.android.api.Severity
import ru.vostok.lk.android.api.Supplier
import ru.vostok.lk.android.api.TariffZone
import ru.vostok.lk.android.api.Verification
import ru.vostok.lk.android.api.ZonePrice
import ru.vostok.lk.android.api.ZoneResult
import ru.vostok.lk.android.api.ZoneValue
import ru.vostok.lk.core.Account
import ru.vostok.lk.core.AccountSummary as CoreAccountSummary
import ru.vostok.lk.core.Channel as CoreChannel
import ru.vostok.lk.core.ChargeLine
import ru.vostok.lk.core.DocumentSummary as CoreDocumentSummary
import ru.vostok.lk.core.DocumentView
import ru.vostok.lk.core.Finding as CoreFinding
import ru.vostok.lk.core.MeasureUnit as CoreUnit
import ru.vostok.lk.core.MeterKind as CoreMeterKind
import ru.vostok.lk.core.MetersView
import ru.vostok.lk.core.NotificationSettings
import ru.vostok.lk.core.Payment as CorePayment
import ru.vostok.lk.core.PaymentView
import ru.vostok.lk.core.PersonName
import ru.vostok.lk.core.Profile as CoreProfile
import ru.vostok.lk.core.ReadingCheck as CoreReadingCheck
import ru.vostok.lk.core.RegistrationState
import ru.vostok.lk.core.Requisites
import ru.vostok.lk.core.TariffZone as CoreZone
import ru.vostok.lk.core.Totals
import ru.vostok.lk.core.ZoneInput
import ru.vostok.lk.core.ZoneValue as CoreZoneValue
import ru.vostok.lk.core.meterKindUnit
import ru.vostok.lk.core.meterKindZones

// The bindings' records as the interface's. Enums cross by name: both sides name the core's variants alike.

internal fun CoreUnit.api() = MeasureUnit.valueOf(name)

internal fun MeasureUnit.core() = CoreUnit.valueOf(name)

internal fun CoreZone.api() = TariffZone.valueOf(name)

internal fun TariffZone.core() = CoreZone.valueOf(name)

internal fun CoreMeterKind.api() = MeterKind.valueOf(name)

internal fun MeterKind.core() = CoreMeterKind.valueOf(name)

internal fun CoreChannel.api() = Channel.valueOf(name)

internal fun Channel.core() = CoreChannel.valueOf(name)

internal fun Map<TariffZone, String>.inputs(): List<ZoneInput> = map { (zone, text) -> ZoneInput(zone.core(), text) }

internal fun PersonName.full(): String = listOfNotNull(last, first, patronymic).joinToString(" ")

internal fun CoreAccountSummary.api() = AccountSummary(
    number = number,
    owner = owner,
    address = address,
    own = own,
    debt = balance.debt,
    documentPeriod = balance.documentPeriod
)

internal fun CachedAccountDetails.api(): Cached<AccountDetails> {
    val d = value
    return Cached(
        AccountDetails(
            number = d.account.number,
            owner = d.account.owner.full(),
            address = d.account.address,
            city = d.account.city,
            own = d.own,
            debt = d.balance.debt,
            services = d.services.map { s ->
                ServiceTariffs(s.service.code, s.service.name, s.service.unit.api(), s.tariffs.map { ZonePrice(it.zone.api(), it.price) })
            },
            suppliers = d.suppliers.map { it.api() }
        ),
        refreshedAt
    )
}

internal fun Requisites.api() = Supplier(name, inn, kpp, bankName, bic, settlementAccount, correspondentAccount)

internal fun CoreDocumentSummary.api() = DocumentSummary(period, issuedOn, dueDate, toPay, amountDue)

internal fun DocumentView.api(): PaymentDocument {
    val doc = document
    val account: Account = doc.head.account
    return PaymentDocument(
        account = account.number,
        owner = account.owner.full(),
        address = account.address,
        period = doc.head.period,
        issuedOn = doc.head.issuedOn,
        dueDate = doc.head.dueDate,
        payee = doc.head.payee.api(),
        lines = doc.lines.map { it.api(it.basis.serviceCode in editableServices) },
        totals = doc.totals.api(),
        recalculations = doc.recalculations.map { Recalculation(it.serviceCode, it.amount, it.reason) }
    )
}

internal fun ChargeLine.api(editable: Boolean) = ChargeRow(
    serviceCode = basis.serviceCode,
    serviceName = basis.serviceName,
    unit = basis.unit.api(),
    tariff = basis.tariff,
    debt = basis.debt,
    paid = basis.paid,
    volume = basis.volume,
    charged = charged,
    recalculation = basis.recalculation,
    toPay = toPay,
    editable = editable
)

internal fun Totals.api() = ChargeTotals(debt, paid, charged, recalculation, toPay, amountDue, credit)

internal fun PaymentView.api() = payment.api(statusText, confirmationUrl)

internal fun CorePayment.api(statusText: String, confirmationUrl: String?) = PaymentState(
    id = id,
    account = account,
    total = allocation.total,
    status = PaymentStatus.valueOf(status.name),
    statusText = statusText,
    confirmationUrl = confirmationUrl,
    createdAt = createdAt,
    hasReceipt = receipt != null
)

internal fun CoreZoneValue.api() = ZoneValue(zone.api(), value)

internal fun MetersView.api() = Meters(
    today = today,
    windowOpen = windowOpen,
    windowFirstDay = window.firstDay.toInt(),
    windowLastDay = window.lastDay.toInt(),
    period = period,
    meters = meters.map { view ->
        val m = view.meter
        val kind = m.kind.api()
        MeterItem(
            id = m.id,
            kind = kind,
            serial = m.serial,
            serviceCode = m.serviceCode,
            unit = meterKindUnit(m.kind).api(),
            integerDigits = m.dial.integerDigits.toInt(),
            fractionDigits = m.dial.fractionDigits.toInt(),
            nextVerification = m.nextVerification,
            verification = when {
                view.verificationExpired -> Verification.EXPIRED
                view.verificationDueSoon -> Verification.ENDS_SOON
                else -> Verification.VALID
            },
            zones = view.start?.values?.map { it.zone.api() } ?: meterKindZones(m.kind).map { it.api() },
            start = view.start?.values?.map { it.api() }.orEmpty(),
            current = view.current?.values?.map { it.api() },
            currentTakenAt = view.current?.takenAt
        )
    }
)

internal fun CoreFinding.api() = Finding(code.name, Severity.valueOf(severity.name), zone?.api(), message)

internal fun CoreReadingCheck.api() = ReadingCheck(
    zones = zones.map { ZoneResult(it.zone.api(), it.value, it.previous, it.consumption) },
    findings = findings.map { it.api() },
    refused = isRefused(),
    toConfirm = toConfirm().map { it.name },
    period = period
)

internal fun OutboxEntry.api() = OutboxItem(
    id = id,
    kind = OutboxKind.valueOf(kind.name),
    title = title,
    createdAt = createdAt,
    state = OutboxState.valueOf(state.name),
    attempts = attempts.toInt(),
    error = error?.failure(),
    hasPhoto = hasPhoto
)

internal fun RegistrationState.api() = RegistrationStep(
    id = id,
    status = RegistrationStatus.valueOf(status.name),
    login = login,
    channel = channel.api(),
    contactMasked = contactMasked,
    account = account?.let { AccountPreview(it.number, it.address, it.ownerMasked) },
    resendAfter = resendAfter
)

internal fun CoreProfile.api() = Profile(
    login = login,
    role = Role.valueOf(role.name),
    phone = phone,
    email = email,
    city = city,
    accounts = accounts.map { ProfileAccount(it.number, it.address, it.own) },
    notifications = notifications.api()
)

internal fun NotificationSettings.api() = Notifications(readingWindow, newDocument, paymentResult, receiptByEmail)

internal fun Notifications.core() = NotificationSettings(readingWindow, newDocument, paymentResult, receiptByEmail)
