import Foundation
import LkFeaturesTesting
import LkInterface
import XCTest

@testable import LkFeatures

final class FakeRounds: RoundsService, @unchecked Sendable {
    var online = true
    var assessments: [(CaptureDraft, Int)] = []
    var captured: [(CaptureDraft, String?)] = []
    var judge: (CaptureDraft, Int) -> Assessment = { _, _ in Assessment(status: .accepted, reasons: [], photoNeeded: false) }
    var entries: [JournalEntry] = []

    let route = RoundRoute(
        id: "r1", name: "Курган, Ленина 1–20",
        stops: [
            .init(
                id: "s1", address: "г. Курган, ул. Ленина, д. 1", entrance: 2, flat: "15", accessNote: "Код домофона 15К",
                owner: "Иванов И. И.", cancelled: false,
                meters: [
                    RouteMeter(
                        id: "m1", kind: .coldWater, serial: "778899", zones: [.single],
                        previous: [ZoneReading(zone: .single, value: dec("123.4"))],
                        expected: [.init(zone: .single, low: dec("123.4"), high: 140)])
                ]),
            .init(
                id: "s2", address: "г. Курган, ул. Ленина, д. 1", entrance: 2, flat: "16", accessNote: "", owner: "Петров П. П.",
                cancelled: true, meters: []),
        ])

    func list() async throws -> Cached<[RoundSummary]> {
        Cached([RoundSummary(id: "r1", name: route.name, stops: 200, meters: 352, captured: 0)], refreshedAt: Date())
    }
    func download(_ id: String) async throws -> Cached<RoundRoute> {
        guard online else { throw offline }
        return Cached(route, refreshedAt: Date())
    }
    func route(_ id: String) throws -> RoundRoute { route }
    func assess(round: String, draft: CaptureDraft, photos: Int) throws -> Assessment {
        assessments.append((draft, photos))
        return judge(draft, photos)
    }
    func capture(round: String, draft: CaptureDraft, photoPath: String?) async throws -> OutboxItem {
        captured.append((draft, photoPath))
        entries.append(
            JournalEntry(
                id: Int64(entries.count + 1), stop: draft.stop, meter: draft.meter, takenAt: Date(), state: .saved,
                reasons: []))
        return OutboxItem(
            id: Int64(entries.count), title: "Снятие", createdAt: Date(), state: .queued, refusal: nil,
            hasPhoto: photoPath != nil)
    }
    func journal(round: String) throws -> [JournalEntry] { entries }
    func progress(round: String) throws -> RoundProgress { RoundProgress(done: entries.count, skipped: 0, left: 1 - entries.count) }
}

@MainActor
final class RoundsTests: XCTestCase {
    func testARouteOpensWithItsStopsProgressAndWhatWaitsToBeSent() async {
        // R24: the route, downloaded for the day; cancelled stops are not walked.
        let rounds = FakeRounds()
        let routes = Routes()
        let model = RoundsViewModel(rounds: rounds, formatting: russian, navigate: routes.navigate)
        await model.send(.appear)
        XCTAssertEqual(model.state.rounds.first?.size, "200 квартир, 352 счётчика")
        await model.send(.open(round: "r1"))
        XCTAssertEqual(model.state.stops.first?.title, "г. Курган, ул. Ленина, д. 1, подъезд 2, кв. 15")
        XCTAssertEqual(model.state.stops.first?.note, "Код домофона 15К")
        XCTAssertEqual(model.state.progress, "Снято 0, пропущено 0, осталось 1")
        XCTAssertEqual(model.state.sync, "Всё отправлено")
        await model.send(.stop("s2"))
        await model.send(.stop("s1"))
        XCTAssertEqual(routes.seen, [.stop(round: "r1", stop: "s1")])
    }

    func testOfflineARouteDownloadedBeforeIsStillWalked() async {
        let rounds = FakeRounds()
        rounds.online = false
        let model = RoundsViewModel(rounds: rounds, formatting: russian, navigate: Routes().navigate)
        await model.send(.open(round: "r1"))
        XCTAssertEqual(model.state.stops.count, 2)
        XCTAssertNil(model.state.error)
    }

    func testACaptureTheCoreRefusesWithoutAPhotoAsksForOneThenIsSaved() async {
        // R24: out of range needs a photo; the core says so before saving.
        let rounds = FakeRounds()
        rounds.judge = { _, photos in
            photos == 0
                ? Assessment(status: .rejected, reasons: ["Показание вне ожидаемого диапазона"], photoNeeded: true)
                : Assessment(status: .needsReview, reasons: ["Показание вне ожидаемого диапазона"], photoNeeded: false)
        }
        let model = CaptureViewModel(round: "r1", stop: "s1", rounds: rounds, formatting: russian, position: { nil })
        await model.send(.appear)
        XCTAssertEqual(model.state.title, "г. Курган, ул. Ленина, д. 1, кв. 15")
        XCTAssertEqual(model.state.meters.first?.expected, ["Ожидается: от 123,4 до 140"])
        await model.send(.setValue(.single, "900"))
        XCTAssertEqual(model.state.verdict, "Нужно фото счётчика")
        XCTAssertEqual(model.state.reasons, ["Показание вне ожидаемого диапазона"])
        XCTAssertFalse(model.state.canSave)
        await model.send(.save)
        XCTAssertTrue(rounds.captured.isEmpty)
        await model.send(.photo(path: "/tmp/dial.jpg"))
        XCTAssertEqual(model.state.verdict, "Будет передано на проверку в офис")
        await model.send(.save)
        XCTAssertEqual(rounds.captured.first?.1, "/tmp/dial.jpg")
        XCTAssertEqual(rounds.captured.first?.0.recorded, .reading(writtenSerial: nil, values: [ZoneText(zone: .single, text: "900")]))
        XCTAssertEqual(model.state.message, "Снятие сохранено на телефоне и будет отправлено")
    }

    func testASkipGoesWithItsReasonAndADifferentSerialWithWhatIsWritten() async {
        let rounds = FakeRounds()
        let model = CaptureViewModel(
            round: "r1", stop: "s1", rounds: rounds, formatting: russian,
            position: {
                Position(latitude: dec("55.44"), longitude: dec("65.34"), accuracy: 12)
            })
        await model.send(.appear)
        XCTAssertEqual(model.state.skipReasons.map(\.title).first, "Нет доступа")
        await model.send(.skip(.noAccess, note: "Никого нет дома"))
        await model.send(.save)
        XCTAssertEqual(rounds.captured.last?.0.recorded, .skip(.noAccess, note: "Никого нет дома"))
        XCTAssertEqual(rounds.captured.last?.0.position?.accuracy, 12)
        await model.send(.skip(nil, note: ""))
        await model.send(.serialDiffers(written: "778800"))
        await model.send(.setValue(.single, "130"))
        await model.send(.save)
        XCTAssertEqual(
            rounds.captured.last?.0.recorded,
            .reading(writtenSerial: "778800", values: [ZoneText(zone: .single, text: "130")]))
    }
}
