import LkFeatures
import SwiftUI

struct AccountsView: View {
    @State var model: AccountsViewModel

    var body: some View {
        List {
            if let notice = model.state.notice { NoticeText(notice) }
            if let error = model.state.error { ErrorText(error) }
            ForEach(model.state.rows) { row in
                Button {
                    Task { await model.send(.open(number: row.id)) }
                } label: {
                    VStack(alignment: .leading, spacing: 4) {
                        Text(row.title).font(.headline)
                        Text(row.address).font(.subheadline).foregroundStyle(.secondary)
                        Text(row.balance).font(.body.monospacedDigit())
                    }
                }
                .accessibilityElement(children: .ignore)
                .accessibilityLabel(row.accessibilityLabel)
            }
            if let empty = model.state.empty { Text(empty).foregroundStyle(.secondary) }
        }
        .refreshable { await model.send(.refresh) }
        .task { await model.send(.appear) }
        .navigationTitle(model.state.title)
        .toolbar {
            Button {
                Task { await model.send(.settings) }
            } label: {
                Image(systemName: "gearshape")
            }
            .accessibilityLabel("Настройки")
        }
    }
}
