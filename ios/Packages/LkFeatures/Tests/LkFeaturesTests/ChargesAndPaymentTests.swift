import Foundation
import LkFeaturesTesting
import LkInterface
import XCTest

@testable import LkFeatures

func document(amountDue: Decimal = 1500) -> ChargesDocument {
    let line = { (code: String, name: String, toPay: Decimal, editable: Bool) in
        ChargeLine(
            serviceCode: code, serviceName: name, unit: .kilowattHour, tariff: dec("5.62"), debt: 0, paid: 0, volume: 150,
            charged: toPay, recalculation: 0, toPay: toPay, editable: editable)
    }
    return ChargesDocument(
        accountNumber: "450001000001", period: Period("2026-10"), issuedOn: Day("2026-11-01"),
        dueDate: Day("2026-11-25"),
        lines: [line("electricity", "Электроэнергия", 1000, true), line("cold_water", "Холодная вода", 500, false)],
        toPay: amountDue, amountDue: max(amountDue, 0), credit: max(-amountDue, 0), paymentQr: "ST00011|…",
        source: FakeSource())
}

let fullSplit = Split(
    total: 1500,
    parts: [
        .init(serviceCode: "electricity", amount: 1000, fixed: false),
        .init(serviceCode: "cold_water", amount: 500, fixed: false),
    ])

@MainActor
final class ChargesTests: XCTestCase {
    let now = Date(timeIntervalSince1970: 1_795_000_000)

    func charges(refreshedAt: Date) -> FakeCharges {
        let charges = FakeCharges()
        charges.documentsResult = .success(
            Cached(
                [
                    DocumentSummary(
                        period: Period("2026-10"), issuedOn: Day("2026-11-01"),
                        dueDate: Day("2026-11-25"), amountDue: 1500)
                ],
                refreshedAt: refreshedAt))
        charges.documentResult = .success(Cached(document(), refreshedAt: refreshedAt))
        return charges
    }

    func testTheDocumentShowsItsColumnsInRussianAndPaysTheAmountDue() async {
        // R7: the 8 columns as the core computed them, formatted by the core.
        let routes = Routes()
        let model = ChargesViewModel(
            number: "450001000001", charges: charges(refreshedAt: now), formatting: russian,
            clock: FixedClock(now: now), navigate: routes.navigate)
        await model.send(.appear)
        XCTAssertEqual(model.state.title, "Начисления за октябрь 2026")
        XCTAssertEqual(model.state.periods.map(\.title), ["Октябрь 2026"])
        XCTAssertEqual(model.state.subtitle, "Лицевой счёт 450001000001 · оплатить до 25.11.2026")
        XCTAssertEqual(model.state.lines[0].basis, "Тариф 5,62\(nbsp)₽ · Объём 150\(nbsp)кВт·ч")
        XCTAssertEqual(model.state.lines[0].toPay, "1\(nbsp)000,00\(nbsp)₽")
        XCTAssertEqual(model.state.total, "Итого к оплате: 1\(nbsp)500,00\(nbsp)₽")
        XCTAssertNil(model.state.notice)
        await model.send(.pay)
        XCTAssertEqual(routes.seen, [.payment(number: "450001000001", period: Period("2026-10"))])
    }

    func testAStoredDocumentIsShownOfflineWithItsAge() async {
        let model = ChargesViewModel(
            number: "450001000001", charges: charges(refreshedAt: now.addingTimeInterval(-2 * 86400)),
            formatting: russian, clock: FixedClock(now: now), navigate: Routes().navigate)
        await model.send(.appear)
        XCTAssertEqual(model.state.notice, "Нет связи. Данные обновлены 2 дня назад")
        XCTAssertEqual(model.state.lines.count, 2)
    }

    func testThePDFIsHandedToTheShareSheetWithItsName() async {
        // R8
        let model = ChargesViewModel(
            number: "450001000001", charges: charges(refreshedAt: now), formatting: russian,
            clock: FixedClock(now: now), navigate: Routes().navigate)
        await model.send(.appear)
        await model.send(.sharePDF)
        XCTAssertEqual(model.state.shared?.name, "ЕПД 450001000001 2026-10.pdf")
        await model.send(.sharedDone)
        XCTAssertNil(model.state.shared)
    }
}

@MainActor
final class PaymentTests: XCTestCase {
    func model(_ charges: FakeCharges, _ payments: FakePayments = FakePayments(), _ browser: FakeBrowser = FakeBrowser())
        -> PaymentViewModel
    {
        charges.documentResult = .success(Cached(document(), refreshedAt: Date()))
        return PaymentViewModel(
            number: "450001000001", period: Period("2026-10"), charges: charges, payments: payments,
            browser: browser, formatting: russian, returnURL: "lk://payment", navigate: Routes().navigate)
    }

    func testTheAmountDueIsSplitOverTheServicesAndAskedToConfirm() async {
        // R9: the core's split, «Итоговая сумма верна?», the bank's page, the core's status.
        let charges = FakeCharges()
        charges.splits["1\(nbsp)500"] = fullSplit
        let payments = FakePayments()
        let browser = FakeBrowser()
        let model = model(charges, payments, browser)
        await model.send(.appear)
        XCTAssertEqual(model.state.total, "1\(nbsp)500", "the amount due, as a person would type it")
        XCTAssertEqual(model.state.parts.map(\.amount), ["1\(nbsp)000,00\(nbsp)₽", "500,00\(nbsp)₽"])
        XCTAssertEqual(model.state.parts.map(\.editable), [true, false])
        await model.send(.setReceiptContact("+79120000001"))
        await model.send(.proceed)
        XCTAssertEqual(model.state.step, .confirm)
        XCTAssertEqual(model.state.question, "Итоговая сумма верна? 1\(nbsp)500,00\(nbsp)₽")
        await model.send(.pay)
        XCTAssertEqual(browser.opened.map(\.absoluteString), ["http://127.0.0.1/page"])
        XCTAssertEqual(payments.started.first?.2, "+79120000001")
        XCTAssertEqual(model.state.step, .done(succeeded: true))
        XCTAssertEqual(model.state.status, "Оплата выполнена успешно")
        await model.send(.shareReceipt)
        XCTAssertEqual(model.state.receipt?.name, "Чек p1.pdf")
    }

    func testAnAmountTypedOnALineIsFixedAndTheRestIsSplitByTheCore() async {
        let charges = FakeCharges()
        charges.splits["1\(nbsp)500"] = fullSplit
        charges.splits["1200"] = Split(
            total: 1200,
            parts: [
                .init(serviceCode: "electricity", amount: 700, fixed: true),
                .init(serviceCode: "cold_water", amount: 500, fixed: false),
            ])
        let model = model(charges)
        await model.send(.appear)
        await model.send(.setTotal("1200"))
        await model.send(.setPart(service: "electricity", text: "700"))
        XCTAssertEqual(charges.splitCalls.last?.1, [FixedAmount(serviceCode: "electricity", amount: 700)])
        XCTAssertEqual(model.state.parts[0].text, "700")
        XCTAssertTrue(model.state.parts[0].fixed)
    }

    func testATotalTheCoreCannotReadIsRefusedUnderItsFieldAndStopsThePayment() async {
        let charges = FakeCharges()
        charges.splits["1\(nbsp)500"] = fullSplit
        let model = model(charges)
        await model.send(.appear)
        await model.send(.setTotal("сто"))
        XCTAssertEqual(model.state.totalError, "Сумма указана неверно")
        XCTAssertFalse(model.state.canContinue)
        await model.send(.proceed)
        XCTAssertEqual(model.state.step, .edit)
    }

    func testADeclinedPaymentSaysWhatTheCoreSays() async {
        let charges = FakeCharges()
        charges.splits["1\(nbsp)500"] = fullSplit
        let payments = FakePayments()
        payments.final = .declined
        let model = model(charges, payments)
        await model.send(.appear)
        await model.send(.proceed)
        await model.send(.pay)
        XCTAssertEqual(model.state.step, .done(succeeded: false))
        XCTAssertEqual(model.state.status, "Оплата отклонена банком")
    }
}
