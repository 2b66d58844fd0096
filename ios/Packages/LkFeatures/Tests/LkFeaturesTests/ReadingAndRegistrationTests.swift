import Foundation
import LkFeaturesTesting
import LkInterface
import XCTest

@testable import LkFeatures

func meters(windowOpen: Bool = true, expired: Bool = false) -> MetersOverview {
    let meter = MeterState(
        id: "m1", kind: .electricityTwoZone, serial: "0123456", unit: .kilowattHour, zones: [.day, .night],
        nextVerification: Day("2030-06-30"), verificationExpired: expired, verificationDueSoon: false,
        start: [ZoneReading(zone: .day, value: dec("19604.8")), ZoneReading(zone: .night, value: dec("10173.3"))],
        current: nil)
    return MetersOverview(
        today: Day("2026-11-21"), windowOpen: windowOpen, windowFirstDay: 15, windowLastDay: 25,
        period: windowOpen ? Period("2026-11") : nil, meters: [meter])
}

@MainActor
final class MetersTests: XCTestCase {
    func testTheWindowAndEachZonesLastReadingAreShown() async {
        // R10
        let readings = FakeReadings()
        readings.overview = .success(Cached(meters(), refreshedAt: Date()))
        let routes = Routes()
        let model = MetersViewModel(number: "450001000001", readings: readings, formatting: russian, navigate: routes.navigate)
        await model.send(.appear)
        XCTAssertEqual(model.state.window, "Показания принимаются с 15 по 25 число (за ноябрь 2026)")
        XCTAssertEqual(model.state.rows[0].readings, ["День (Т1): 19\(nbsp)604,8\(nbsp)кВт·ч", "Ночь (Т2): 10\(nbsp)173,3\(nbsp)кВт·ч"])
        XCTAssertEqual(model.state.rows[0].verification, "Поверка до 30.06.2030")
        await model.send(.open(meterId: "m1"))
        XCTAssertEqual(routes.seen, [.reading(number: "450001000001", meterId: "m1")])
    }

    func testAMeterPastItsVerificationTakesNoReading() async {
        let readings = FakeReadings()
        readings.overview = .success(Cached(meters(expired: true), refreshedAt: Date()))
        let routes = Routes()
        let model = MetersViewModel(number: "450001000001", readings: readings, formatting: russian, navigate: routes.navigate)
        await model.send(.appear)
        XCTAssertEqual(model.state.rows[0].warning, "Срок поверки истёк: показания не принимаются")
        await model.send(.open(meterId: "m1"))
        XCTAssertEqual(routes.seen, [])
    }
}

@MainActor
final class ReadingTests: XCTestCase {
    let rollover = ReadingCheck.Finding(code: "rollover", zone: .day, message: "Счётчик перешёл через ноль: подтвердите показание")

    func model(_ readings: FakeReadings) -> ReadingViewModel {
        readings.overview = .success(Cached(meters(), refreshedAt: Date()))
        return ReadingViewModel(
            number: "450001000001", meterId: "m1", readings: readings, formatting: russian,
            navigate: Routes().navigate)
    }

    func testARefusedReadingShowsTheCoresReasonsAndIsNotSent() async {
        // R11
        let readings = FakeReadings()
        readings.checks["100;200"] = ReadingCheck(
            consumption: [],
            refusals: [
                .init(code: "belowPrevious", zone: .day, message: "День (Т1): показание меньше предыдущего")
            ], toConfirm: [], notes: [], period: nil)
        let model = model(readings)
        await model.send(.appear)
        XCTAssertEqual(model.state.fields.map(\.title), ["День (Т1)", "Ночь (Т2)"])
        XCTAssertEqual(model.state.fields[0].previous, "Предыдущее: 19\(nbsp)604,8\(nbsp)кВт·ч")
        await model.send(.setValue(.day, "100"))
        await model.send(.setValue(.night, "200"))
        await model.send(.check)
        XCTAssertEqual(model.state.refusals, ["День (Т1): показание меньше предыдущего"])
        XCTAssertEqual(model.state.step, .entry)
        XCTAssertTrue(readings.submitted.isEmpty)
    }

    func testAFindingToConfirmIsAskedThenSentWithTheConfirmation() async {
        // R12: the core's findings are confirmed by the person and go with the reading.
        let readings = FakeReadings()
        readings.checks["5;10200"] = ReadingCheck(
            consumption: [ZoneReading(zone: .day, value: dec("400.2"))], refusals: [],
            toConfirm: [rollover], notes: [], period: Period("2026-11"))
        let model = model(readings)
        await model.send(.appear)
        await model.send(.setValue(.day, "5"))
        await model.send(.setValue(.night, "10200"))
        await model.send(.check)
        XCTAssertEqual(model.state.step, .confirm)
        XCTAssertEqual(model.state.toConfirm, ["Счётчик перешёл через ноль: подтвердите показание"])
        XCTAssertEqual(model.state.consumption, ["Расход, День (Т1): 400,2\(nbsp)кВт·ч"])
        await model.send(.confirm)
        XCTAssertEqual(readings.submitted.first?.1, [rollover])
        XCTAssertEqual(model.state.step, .done)
        XCTAssertEqual(model.state.message, "Спасибо, ваши показания приняты")
    }

    func testOfflineTheReadingIsKeptAndSaidToGoLater() async {
        let readings = FakeReadings()
        readings.online = false
        let model = model(readings)
        await model.send(.appear)
        await model.send(.setValue(.day, "19700"))
        await model.send(.setValue(.night, "10200"))
        await model.send(.check)
        XCTAssertEqual(readings.submitted.count, 1)
        XCTAssertEqual(model.state.message, "Показания сохранены на телефоне и будут отправлены, когда появится связь")
    }

    func testAProposalFromTheDialPhotoIsSentAsRecognisedWithThePhoto() async {
        // R21: the core proposes, the person chooses, the photo goes along.
        let readings = FakeReadings()
        readings.proposals = [Proposal(value: dec("19700.5"), score: 0.9, findings: [])]
        let model = model(readings)
        await model.send(.appear)
        await model.send(.photo(path: "/tmp/dial.jpg", texts: [RecognisedText(text: "19700.5", confidence: 0.9)]))
        XCTAssertEqual(model.state.fields[0].proposals, ["19\(nbsp)700,5"])
        XCTAssertTrue(model.state.photoAttached)
        await model.send(.choose(.day, proposal: 0))
        await model.send(.choose(.night, proposal: 0))
        await model.send(.check)
        XCTAssertEqual(readings.submitted.first?.2, "/tmp/dial.jpg")
        XCTAssertEqual(readings.submitted.first?.3, true)
    }
}

@MainActor
final class RefusedReadingTests: XCTestCase {
    let photoRefused = "Фото не подходит: на нём не видно показаний"

    /// A reading of both zones sent with a dial photo, which the service refuses.
    func refused(_ readings: FakeReadings, routes: Routes? = nil) async -> ReadingViewModel {
        readings.overview = .success(Cached(meters(), refreshedAt: Date()))
        readings.refusals = [photoRefused]
        let model = ReadingViewModel(
            number: "450001000001", meterId: "m1", readings: readings, formatting: russian,
            navigate: (routes ?? Routes()).navigate)
        await model.send(.appear)
        await model.send(.photo(path: "/tmp/dial.jpg", texts: []))
        await model.send(.setValue(.day, "19700"))
        await model.send(.setValue(.night, "10200"))
        await model.send(.check)
        return model
    }

    func testARefusedReadingSaysWhyAndIsSentAgainAsItIs() async {
        // R11, R12: the outbox keeps a refused reading for the person to act on.
        let readings = FakeReadings()
        let model = await refused(readings)
        XCTAssertEqual(model.state.step, .refused)
        XCTAssertEqual(model.state.message, photoRefused)
        XCTAssertTrue(model.state.canRetryWithoutPhoto)
        await model.send(.retry)
        XCTAssertEqual(readings.done, ["retry 1"])
        XCTAssertEqual(model.state.step, .done)
        XCTAssertEqual(model.state.message, "Спасибо, ваши показания приняты")
        XCTAssertEqual(readings.submitted.count, 1, "the same item, not a second reading")
    }

    func testARefusedPhotoIsLeftOutWhenTheReadingIsSentAgain() async {
        let readings = FakeReadings()
        let model = await refused(readings)
        await model.send(.retryWithoutPhoto)
        XCTAssertEqual(readings.done, ["without photo 1"])
        XCTAssertFalse(model.state.photoAttached)
        XCTAssertEqual(model.state.message, "Спасибо, ваши показания приняты")
    }

    func testACorrectedReadingIsCheckedAgainAndReplacesTheRefusedOne() async {
        let readings = FakeReadings()
        let model = await refused(readings)
        await model.send(.correct)
        XCTAssertEqual(model.state.step, .entry)
        XCTAssertEqual(model.state.fields.map(\.text), ["19700", "10200"], "what was typed stays to correct")
        await model.send(.setValue(.day, "19705"))
        await model.send(.check)
        XCTAssertEqual(readings.done, ["correct 1 19705;10200"])
        XCTAssertEqual(readings.submitted.count, 1, "corrected in its item, not submitted again")
        XCTAssertEqual(model.state.step, .done)
    }

    func testARefusedReadingGivenUpIsRemovedAndTheMetersShown() async {
        let readings = FakeReadings()
        let routes = Routes()
        let model = await refused(readings, routes: routes)
        await model.send(.dismiss)
        XCTAssertEqual(readings.done, ["dismiss 1"])
        XCTAssertTrue(readings.outbox().isEmpty)
        XCTAssertEqual(routes.seen, [.meters(number: "450001000001")])
    }

    func testRefusedAgainTheReadingStaysRefusedWithTheNewReason() async {
        let readings = FakeReadings()
        let model = await refused(readings)
        readings.refusals = ["Приём показаний закрыт"]
        await model.send(.retry)
        XCTAssertEqual(model.state.step, .refused)
        XCTAssertEqual(model.state.message, "Приём показаний закрыт")
    }
}

@MainActor
final class RegistrationTests: XCTestCase {
    func registration(_ status: Registration.Status) -> Registration {
        Registration(
            id: "r1", status: status, login: "ivan2026", channel: .phone, contactMasked: "+7 912 ***-**-55",
            account: status == .awaitingAccountConfirmation
                ? .init(number: "450001000002", address: "г. Курган, ул. Мира, д. 2", ownerMasked: "П****в П. П.") : nil,
            resendAfter: nil)
    }

    func testEachStepOfTheWizardFollowsTheCoresAnswer() async {
        // R1–R3: form with CAPTCHA, account with proof, its address to confirm, the SMS code.
        let session = FakeSession()
        session.steps = [
            "start": .success(registration(.awaitingAccount)),
            "bind": .success(registration(.awaitingAccountConfirmation)),
            "confirm": .success(registration(.awaitingCode)),
            "code": .success(registration(.completed)),
        ]
        let routes = Routes()
        let model = RegistrationViewModel(session: session, navigate: routes.navigate)
        await model.send(.appear)
        XCTAssertEqual(model.state.cities, ["Курган", "Шадринск"])
        XCTAssertEqual(model.state.captcha?.id, "c1")
        XCTAssertEqual(model.state.title, "Регистрация")
        await model.send(
            .edit {
                $0.login = "ivan2026"; $0.consent = true
            })
        await model.send(.submitForm)
        XCTAssertEqual(model.state.step, .account)
        await model.send(.bindAccount)
        XCTAssertEqual(model.state.step, .confirmAccount)
        XCTAssertEqual(model.state.preview, ["Лицевой счёт: 450001000002", "Адрес: г. Курган, ул. Мира, д. 2", "Владелец: П****в П. П."])
        await model.send(.confirmAccount)
        XCTAssertEqual(model.state.codeSentTo, "Код отправлен в SMS на +7 912 ***-**-55")
        await model.send(.submitCode)
        XCTAssertEqual(model.state.step, .done)
        await model.send(.finish)
        XCTAssertEqual(routes.seen, [.signIn])
        XCTAssertEqual(session.asked, ["start", "bind", "confirm", "code"])
    }

    func testARefusalStandsUnderItsFieldAndAWrongCaptchaBringsANewPicture() async {
        let session = FakeSession()
        session.steps["start"] = .failure(
            LkFailure(
                kind: .refused, code: "captchaWrong", text: "Символы с картинки введены неверно",
                field: "captcha"))
        let model = RegistrationViewModel(session: session, navigate: Routes().navigate)
        await model.send(.appear)
        await model.send(.submitForm)
        XCTAssertEqual(model.state.step, .form)
        XCTAssertEqual(model.state.fieldErrors[.captcha], "Символы с картинки введены неверно")
        XCTAssertEqual(model.state.captcha?.id, "c2", "a new picture to read")
    }

    func testAWrongProofKeepsTheAccountStepWithTheCoresText() async {
        let session = FakeSession()
        session.steps = [
            "start": .success(registration(.awaitingAccount)),
            "bind": .failure(
                LkFailure(
                    kind: .refused, code: "accountNotMatched",
                    text: "Лицевой счёт и сумма последнего начисления не совпадают",
                    field: "latest_document_total")),
        ]
        let model = RegistrationViewModel(session: session, navigate: Routes().navigate)
        await model.send(.appear)
        await model.send(.submitForm)
        await model.send(.bindAccount)
        XCTAssertEqual(model.state.step, .account)
        XCTAssertEqual(model.state.fieldErrors[.latestTotal], "Лицевой счёт и сумма последнего начисления не совпадают")
    }
}
