import LkInterface

/// Where the app goes next: every navigation decision is a view model's, the views only follow.
public enum Route: Hashable, Sendable {
    case signIn
    case registration
    case recovery
    case accounts
    case accountDetails(number: String)
    case charges(number: String)
    case payment(number: String, period: Period)
    case meters(number: String)
    case reading(number: String, meterId: String)
    case settings
    case rounds
    case stop(round: String, stop: String)
}

/// Follows a route (the app's navigation stack; a recorder in tests).
public typealias Navigate = @MainActor (Route) -> Void
