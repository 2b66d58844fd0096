import Foundation

/// The LK on this device, as the features see it: one per app, opened at start.
public protocol Lk: Sendable {
    var session: SessionService { get }
    var accounts: AccountsService { get }
    var charges: ChargesService { get }
    var payments: PaymentsService { get }
    var readings: ReadingsService { get }
    var rounds: RoundsService { get }
    var formatting: RussianFormatting { get }
}
