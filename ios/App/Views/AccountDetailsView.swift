import LkFeatures
import SwiftUI

struct AccountDetailsView: View {
    @State var model: AccountDetailsViewModel

    var body: some View {
        List {
            if let notice = model.state.notice { NoticeText(notice) }
            if let error = model.state.error { ErrorText(error) }
            Section {
                if let owner = model.state.owner { Text(owner).font(.headline) }
                if let address = model.state.address { Text(address) }
                if let balance = model.state.balance { Text(balance).font(.body.monospacedDigit()) }
                Button(model.state.chargesTitle) { Task { await model.send(.charges) } }
                Button(model.state.metersTitle) { Task { await model.send(.meters) } }
            }
            Section("Услуги и тарифы") {
                ForEach(model.state.services) { service in
                    VStack(alignment: .leading) {
                        Text(service.name)
                        ForEach(service.tariffs, id: \.self) { Text($0).font(.footnote).foregroundStyle(.secondary) }
                    }
                    .accessibilityElement(children: .combine)
                }
            }
            Section("Реквизиты") {
                ForEach(model.state.suppliers, id: \.self) { lines in
                    VStack(alignment: .leading) { ForEach(lines, id: \.self) { Text($0).font(.footnote) } }
                        .accessibilityElement(children: .combine)
                }
            }
        }
        .task { await model.send(.appear) }
        .navigationTitle(model.state.title)
    }
}
