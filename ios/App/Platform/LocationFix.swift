import CoreLocation
import LkInterface

/// The phone's last position for a reader's capture (R24), or none without a fix; the
/// permission is asked when the reader opens the rounds.
final class LocationFix: @unchecked Sendable {
    private let manager = CLLocationManager()

    func askPermission() {
        if manager.authorizationStatus == .notDetermined { manager.requestWhenInUseAuthorization() }
        manager.startUpdatingLocation()
    }

    func current() -> Position? {
        guard let location = manager.location, location.horizontalAccuracy >= 0 else { return nil }
        return Position(
            latitude: Decimal(location.coordinate.latitude), longitude: Decimal(location.coordinate.longitude),
            accuracy: Int(location.horizontalAccuracy.rounded()))
    }
}
