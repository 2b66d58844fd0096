import Foundation
import LkFeaturesTesting
import LkImplementation
import LkInterface
import XCTest

@testable import LkFeatures

/// The core's own Russian (moneyRu, countRu…) through the bindings, as the app shows it.
let russian = CoreFormatting()
let nbsp = "\u{a0}"

@MainActor
final class SignInTests: XCTestCase {
    func testAWrongPasswordShowsTheCoresTextAndStaysOnSignIn() async {
        let session = FakeSession()
        session.signInResult = .failure(LkFailure(kind: .refused, code: "invalidCredentials", text: "Неверный логин или пароль"))
        let routes = Routes()
        let model = SignInViewModel(session: session, navigate: routes.navigate)
        await model.send(.setLogin(" demo "))
        await model.send(.setPassword("Wrong-2026"))
        await model.send(.signIn)
        XCTAssertEqual(model.state.error, "Неверный логин или пароль")
        XCTAssertEqual(routes.seen, [])
        XCTAssertEqual(session.signIns.first?.0, "demo", "the login is sent without the spaces around it")
        await model.send(.setPassword("Demo-2026"))
        XCTAssertNil(model.state.error, "typing again clears the error")
    }

    func testEveryErrorCodeOfTheCoreIsShownAsItsRussianText() async {
        // Every code the core can give (CoreFailures.all, from its errorTexts), refused at sign-in
        // and on a screen that loads: the core's text is what the person reads, or sign-in again.
        for failure in CoreFailures.all {
            let session = FakeSession()
            session.signInResult = .failure(failure)
            let signIn = SignInViewModel(session: session, navigate: Routes().navigate)
            await signIn.send(.setLogin("demo"))
            await signIn.send(.setPassword("Demo-2026"))
            await signIn.send(.signIn)
            XCTAssertEqual(signIn.state.error, failure.text, failure.code)

            let accounts = FakeAccounts()
            accounts.detailsResult = .failure(failure)
            let routes = Routes()
            let details = AccountDetailsViewModel(
                number: "450001000001", accounts: accounts, formatting: russian, navigate: routes.navigate)
            await details.send(.appear)
            if failure.kind == .signInAgain {
                XCTAssertEqual(routes.seen, [.signIn], failure.code)
            } else {
                XCTAssertEqual(details.state.error, failure.text, failure.code)
            }
        }
    }

    func testSigningInGoesToTheAccountsAndForgetsThePassword() async {
        let routes = Routes()
        let model = SignInViewModel(session: FakeSession(), navigate: routes.navigate)
        XCTAssertFalse(model.state.canSubmit, "nothing typed yet")
        await model.send(.setLogin("demo"))
        await model.send(.setPassword("Demo-2026"))
        await model.send(.signIn)
        XCTAssertEqual(routes.seen, [.accounts])
        XCTAssertEqual(model.state.password, "")
    }

    func testAMeterReaderGoesToTheRounds() async {
        // R24
        let session = FakeSession()
        session.reader = true
        let routes = Routes()
        let model = SignInViewModel(session: session, navigate: routes.navigate)
        await model.send(.setLogin("reader1"))
        await model.send(.setPassword("Reader1-2026"))
        await model.send(.signIn)
        XCTAssertEqual(routes.seen, [.rounds])
    }

    func testRegistrationAndRecoveryAreOneTapAway() async {
        let routes = Routes()
        let model = SignInViewModel(session: FakeSession(), navigate: routes.navigate)
        await model.send(.register)
        await model.send(.recover)
        XCTAssertEqual(routes.seen, [.registration, .recovery])
    }
}

@MainActor
final class AccountsTests: XCTestCase {
    let now = Date(timeIntervalSince1970: 1_795_000_000)
    func account(_ debt: Decimal, own: Bool = true) -> AccountSummary {
        AccountSummary(
            number: "450001000001", owner: "Иванов И. И.", address: "г. Курган, ул. Ленина, д. 1, кв. 1", own: own,
            debt: debt, latestPeriod: Period("2026-10"))
    }

    func testOfflineTheStoredAccountsStayWithTheirAge() async {
        // R6 offline: what the device has, and how old it is.
        let accounts = FakeAccounts()
        accounts.kept = StoredAccounts([account(dec("1234.56"))], refreshedAt: now.addingTimeInterval(-5 * 60))
        accounts.refreshResult = .failure(offline)
        let model = AccountsViewModel(accounts: accounts, formatting: russian, clock: FixedClock(now: now), navigate: Routes().navigate)
        await model.send(.appear)
        XCTAssertEqual(model.state.rows.map(\.id), ["450001000001"])
        XCTAssertEqual(model.state.rows[0].balance, "К оплате 1\(nbsp)234,56\(nbsp)₽")
        XCTAssertEqual(model.state.notice, "Нет связи. Данные обновлены 5 минут назад")
        XCTAssertNil(model.state.error)
    }

    func testTheAgeAgreesWithItsNumber() async {
        let age = DataAge(formatting: russian, clock: FixedClock(now: now))
        XCTAssertEqual(age.ago(now.addingTimeInterval(-20)), "только что")
        XCTAssertEqual(age.ago(now.addingTimeInterval(-60)), "1 минуту назад")
        XCTAssertEqual(age.ago(now.addingTimeInterval(-22 * 60)), "22 минуты назад")
        XCTAssertEqual(age.ago(now.addingTimeInterval(-3 * 3600)), "3 часа назад")
        XCTAssertEqual(age.ago(now.addingTimeInterval(-21 * 86400)), "28.10.2026", "older than a few days: the date")
    }

    func testOfflineWithNothingStoredSaysSo() async {
        let accounts = FakeAccounts()
        accounts.refreshResult = .failure(offline)
        let model = AccountsViewModel(accounts: accounts, formatting: russian, navigate: Routes().navigate)
        await model.send(.appear)
        XCTAssertEqual(model.state.error, "Нет связи с сервером. Проверьте интернет")
        XCTAssertNil(model.state.empty)
    }

    func testADebtACreditAndNothingOwedAreWordedForThePayer() async {
        let accounts = FakeAccounts()
        accounts.refreshResult = .success([account(-12), account(0, own: false)])
        let model = AccountsViewModel(accounts: accounts, formatting: russian, navigate: Routes().navigate)
        await model.send(.appear)
        XCTAssertEqual(model.state.rows.map(\.balance), ["Переплата 12,00\(nbsp)₽", "Задолженности нет"])
        XCTAssertEqual(model.state.rows[1].title, "Лицевой счёт 450001000001 (привязан)")
        XCTAssertNil(model.state.notice)
    }

    func testAnAccountShowsItsTariffsAndTheSuppliersDetailsAndLeadsToChargesAndMeters() async {
        // R6
        let accounts = FakeAccounts()
        let details = AccountDetails(
            summary: account(dec("1234.56")),
            services: [
                .init(name: "Электроэнергия", tariffs: [.init(zone: .day, price: dec("5.62"), unit: .kilowattHour)]),
                .init(name: "Холодная вода", tariffs: [.init(zone: .single, price: dec("43.1725"), unit: .cubicMetre)]),
            ],
            suppliers: [
                .init(
                    name: "АО «ЭК «Восток»", inn: "4501000000", bank: "ПАО Сбербанк", bic: "043735650",
                    account: "40702810000000000001")
            ])
        accounts.detailsResult = .success(Cached(details, refreshedAt: now.addingTimeInterval(-3 * 3600)))
        let routes = Routes()
        let model = AccountDetailsViewModel(
            number: "450001000001", accounts: accounts, formatting: russian,
            clock: FixedClock(now: now), navigate: routes.navigate)
        await model.send(.appear)
        XCTAssertEqual(model.state.title, "Лицевой счёт 450001000001")
        XCTAssertEqual(
            model.state.services.map(\.tariffs),
            [
                ["День (Т1): 5,62\(nbsp)₽ за 1\(nbsp)кВт·ч"], ["43,1725\(nbsp)₽ за 1\(nbsp)м³"],
            ])
        XCTAssertEqual(model.state.suppliers.first?[1], "ИНН 4501000000")
        XCTAssertEqual(model.state.notice, "Нет связи. Данные обновлены 3 часа назад")
        await model.send(.charges)
        await model.send(.meters)
        XCTAssertEqual(routes.seen, [.charges(number: "450001000001"), .meters(number: "450001000001")])
    }

    func testAnExpiredSessionGoesBackToSignIn() async {
        let accounts = FakeAccounts()
        accounts.refreshResult = .failure(LkFailure(kind: .signInAgain, code: "sessionExpired", text: "Войдите в личный кабинет заново"))
        let routes = Routes()
        let model = AccountsViewModel(accounts: accounts, formatting: russian, navigate: routes.navigate)
        await model.send(.appear)
        XCTAssertEqual(routes.seen, [.signIn])
    }
}

@MainActor
final class SignOutTests: XCTestCase {
    func testWithNothingUnsentSigningOutIsImmediate() async {
        let session = FakeSession()
        let routes = Routes()
        let model = SignOutViewModel(session: session, navigate: routes.navigate)
        await model.send(.signOut)
        XCTAssertFalse(model.state.asking)
        XCTAssertEqual(session.signedOutKeeping, [true])
        XCTAssertEqual(routes.seen, [.signIn])
    }

    func testUnsentActionsAreAskedAboutInTheCoresWordsAndDiscardedOnlyWhenChosen() async {
        let session = FakeSession()
        session.warning = "Не отправлено 2 записи. Сохранить их до следующего входа?"
        let routes = Routes()
        let model = SignOutViewModel(session: session, navigate: routes.navigate)
        await model.send(.signOut)
        XCTAssertTrue(model.state.asking)
        XCTAssertEqual(model.state.question, session.warning)
        await model.send(.cancel)
        XCTAssertEqual(session.signedOutKeeping, [])
        await model.send(.signOut)
        await model.send(.discard)
        XCTAssertEqual(session.signedOutKeeping, [false])
        XCTAssertEqual(routes.seen, [.signIn])
    }
}

final class FakePush: PushRegistration, @unchecked Sendable {
    var allow = true
    var asked = 0
    func requestPermission() async -> Bool {
        asked += 1
        return allow
    }
}

@MainActor
final class NotificationsTests: XCTestCase {
    func testThePermissionIsAskedOnlyWhenThePersonAsksAfterTheExplanation() async {
        // R22
        let push = FakePush()
        let model = NotificationsViewModel(push: push)
        XCTAssertEqual(push.asked, 0, "nothing asked on showing the screen")
        XCTAssertFalse(model.state.explanation.isEmpty)
        await model.send(.enable)
        XCTAssertEqual(push.asked, 1)
        XCTAssertEqual(model.state.status, "Уведомления включены")
        XCTAssertFalse(model.state.canEnable)
    }

    func testARefusalSaysWhereToAllowThem() async {
        let push = FakePush()
        push.allow = false
        let model = NotificationsViewModel(push: push)
        await model.send(.enable)
        XCTAssertEqual(model.state.status, "Уведомления запрещены. Их можно разрешить в настройках iPhone")
        XCTAssertTrue(model.state.canEnable)
    }
}
