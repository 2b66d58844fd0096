import LkFeatures
import SwiftUI

struct MetersView: View {
    @State var model: MetersViewModel

    var body: some View {
        List {
            if let notice = model.state.notice { NoticeText(notice) }
            if let error = model.state.error { ErrorText(error) }
            if let window = model.state.window { Text(window).font(.subheadline) }
            ForEach(model.state.rows) { row in
                Button {
                    Task { await model.send(.open(meterId: row.id)) }
                } label: {
                    VStack(alignment: .leading, spacing: 4) {
                        Text(row.title).font(.headline)
                        Text(row.serial).font(.footnote).foregroundStyle(.secondary)
                        ForEach(row.readings, id: \.self) { Text($0).font(.body.monospacedDigit()) }
                        Text(row.verification).font(.footnote)
                        if let warning = row.warning { Text(warning).font(.footnote).foregroundStyle(.orange) }
                    }
                }
                .disabled(!row.canSubmit)
                .accessibilityElement(children: .ignore)
                .accessibilityLabel(row.accessibilityLabel)
            }
        }
        .task { await model.send(.appear) }
        .navigationTitle(model.state.title)
    }
}
