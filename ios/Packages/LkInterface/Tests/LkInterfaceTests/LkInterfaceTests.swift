import Foundation
import LkInterface
import XCTest

final class LkInterfaceTests: XCTestCase {
    struct KeychainLocked: LocalizedError {
        var errorDescription: String? { "Связка ключей заблокирована" }
    }

    func testAPlatformServicesErrorIsShownAsARefusalInItsOwnWords() {
        let failure = KeychainLocked().lkFailure
        XCTAssertEqual(failure.kind, .refused)
        XCTAssertEqual(failure.text, "Связка ключей заблокирована")
    }

    func testTheCoresFailurePassesThroughAsItIs() {
        let offline: Error = LkFailure(kind: .offline, code: "offline", text: "Нет связи с сервером. Проверьте интернет")
        XCTAssertEqual(offline.lkFailure.kind, .offline)
        XCTAssertEqual(offline.lkFailure.text, "Нет связи с сервером. Проверьте интернет")
    }

    func testPeriodsAndDaysOrderAsTheirWireTextSoTheLatestDocumentIsTheLast() {
        // The core sends YYYY-MM and YYYY-MM-DD: text order is calendar order (R7's latest document).
        XCTAssertEqual([Period("2026-10"), Period("2025-12"), Period("2026-09")].max(), Period("2026-10"))
        XCTAssertLessThan(Day("2026-09-30"), Day("2026-10-01"))
    }

    func testAFindingCarriesItsCodeBackToTheCore() {
        let finding = ReadingCheck.Finding(code: "rollover", zone: .single, message: "Переход через ноль")
        XCTAssertEqual(finding.token, CoreToken("rollover"))
    }
}
