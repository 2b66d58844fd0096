import Foundation
import LkBindings
import LkInterface

// The core's values as LkInterface's. Every switch here is exhaustive: a case the core adds
// stops the build until the app says what it means.

extension LkError {
    var failure: LkFailure {
        switch self {
        case .Failed(let code, let text, let field):
            return LkFailure(kind: code.kind, code: "\(code)", text: text, field: field)
        }
    }
}

extension ErrorCode {
    var kind: LkFailure.Kind {
        switch self {
        case .offline, .timeout, .serverUnavailable: return .offline
        case .sessionExpired, .unauthorized: return .signInAgain
        default: return .refused
        }
    }
}

/// Runs a call of the bindings; their error becomes LkInterface's.
func core<T>(_ work: () throws -> T) throws -> T {
    do { return try work() } catch let error as LkError { throw error.failure }
}

func core<T>(_ work: () async throws -> T) async throws -> T {
    do { return try await work() } catch let error as LkError { throw error.failure }
}

extension LkInterface.MeasureUnit {
    var core: LkBindings.MeasureUnit {
        switch self {
        case .kilowattHour: return .kwh
        case .cubicMetre: return .cubicMetre
        case .squareMetre: return .squareMetre
        case .gigacalorie: return .gcal
        case .person: return .person
        case .month: return .month
        }
    }

    init(_ unit: LkBindings.MeasureUnit) {
        switch unit {
        case .kwh: self = .kilowattHour
        case .cubicMetre: self = .cubicMetre
        case .squareMetre: self = .squareMetre
        case .gcal: self = .gigacalorie
        case .person: self = .person
        case .month: self = .month
        }
    }
}

extension Zone {
    init(_ zone: TariffZone) {
        switch zone {
        case .single: self = .single
        case .day: self = .day
        case .night: self = .night
        case .peak: self = .peak
        case .semiPeak: self = .semiPeak
        }
    }

    var core: TariffZone {
        switch self {
        case .single: return .single
        case .day: return .day
        case .night: return .night
        case .peak: return .peak
        case .semiPeak: return .semiPeak
        }
    }
}

extension LkInterface.MeterKind {
    init(_ kind: LkBindings.MeterKind) {
        switch kind {
        case .electricitySingle: self = .electricitySingle
        case .electricityTwoZone: self = .electricityTwoZone
        case .electricityThreeZone: self = .electricityThreeZone
        case .coldWater: self = .coldWater
        case .hotWater: self = .hotWater
        case .gas: self = .gas
        case .heat: self = .heat
        }
    }
}

extension LkInterface.MeterKind {
    var core: LkBindings.MeterKind {
        switch self {
        case .electricitySingle: return .electricitySingle
        case .electricityTwoZone: return .electricityTwoZone
        case .electricityThreeZone: return .electricityThreeZone
        case .coldWater: return .coldWater
        case .hotWater: return .hotWater
        case .gas: return .gas
        case .heat: return .heat
        }
    }
}

extension LkInterface.Channel {
    init(_ channel: LkBindings.Channel) {
        switch channel {
        case .phone: self = .phone
        case .email: self = .email
        }
    }

    var core: LkBindings.Channel {
        switch self {
        case .phone: return .phone
        case .email: return .email
        }
    }
}

extension LkInterface.AccountSummary {
    init(_ account: LkBindings.AccountSummary) {
        self.init(
            number: account.number, owner: account.owner, address: account.address, own: account.own,
            debt: account.balance.debt, latestPeriod: account.balance.documentPeriod.map(LkInterface.Period.init))
    }
}

extension LkInterface.Registration {
    init(_ state: RegistrationState) {
        let status: Status
        switch state.status {
        case .awaitingAccount: status = .awaitingAccount
        case .awaitingAccountConfirmation: status = .awaitingAccountConfirmation
        case .awaitingCode: status = .awaitingCode
        case .completed: status = .completed
        }
        self.init(
            id: state.id, status: status, login: state.login, channel: Channel(state.channel),
            contactMasked: state.contactMasked,
            account: state.account.map { .init(number: $0.number, address: $0.address, ownerMasked: $0.ownerMasked) },
            resendAfter: state.resendAfter)
    }
}

extension LkInterface.ReadingCheck.Finding {
    init(_ finding: LkBindings.Finding) {
        self.init(
            code: "\(finding.code)", zone: finding.zone.map(Zone.init), message: finding.message,
            token: CoreToken(finding.code))
    }
}

extension LkInterface.OutboxItem {
    init(_ entry: OutboxEntry) {
        let state: State
        switch entry.state {
        case .queued: state = .queued
        case .sent: state = .sent
        case .needsAction: state = .needsAction
        }
        self.init(
            id: entry.id, title: entry.title, createdAt: entry.createdAt, state: state, refusal: entry.error?.message,
            hasPhoto: entry.hasPhoto)
    }
}

extension PersonName {
    /// `Иванов Иван Иванович`, as the accounts list has it.
    var spoken: String { [last, first, patronymic].compactMap { $0 }.joined(separator: " ") }
}
