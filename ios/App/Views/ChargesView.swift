import LkFeatures
import SwiftUI

struct ChargesView: View {
    @State var model: ChargesViewModel

    var body: some View {
        List {
            if let notice = model.state.notice { NoticeText(notice) }
            if let error = model.state.error { ErrorText(error) }
            if model.state.periods.count > 1 {
                Picker(
                    "Период",
                    selection: Binding(
                        get: { model.state.selected },
                        set: { period in if let period { Task { await model.send(.select(period)) } } })
                ) {
                    ForEach(model.state.periods) { Text($0.title).tag(Optional($0.id)) }
                }
            }
            if let subtitle = model.state.subtitle { Text(subtitle).font(.subheadline) }
            ForEach(model.state.lines) { line in
                VStack(alignment: .leading, spacing: 4) {
                    Text(line.service).font(.headline)
                    Text(line.basis).font(.footnote).foregroundStyle(.secondary)
                    ForEach(line.columns, id: \.title) { column in
                        LabeledContent(column.title, value: column.value).font(.footnote)
                    }
                    LabeledContent("К оплате", value: line.toPay).font(.body.bold())
                }
                .accessibilityElement(children: .ignore)
                .accessibilityLabel(line.accessibilityLabel)
            }
            if let total = model.state.total { Text(total).font(.title3.bold()) }
            Section {
                Button(model.state.payTitle) { Task { await model.send(.pay) } }.disabled(!model.state.canPay)
                Button(model.state.pdfTitle) { Task { await model.send(.sharePDF) } }
            }
        }
        .task { await model.send(.appear) }
        .navigationTitle(model.state.title)
        .sheet(item: Binding(get: { model.state.shared.map(ShareItem.init) }, set: { _ in Task { await model.send(.sharedDone) } })) {
            ShareSheet(file: $0.file)
        }
    }
}

struct ShareItem: Identifiable {
    let file: SharedFile
    var id: String { file.name }
}

/// The system's share sheet for a PDF made on the device.
struct ShareSheet: UIViewControllerRepresentable {
    let file: SharedFile

    func makeUIViewController(context: Context) -> UIActivityViewController {
        let url = FileManager.default.temporaryDirectory.appending(path: file.name)
        try? file.data.write(to: url)
        return UIActivityViewController(activityItems: [url], applicationActivities: nil)
    }

    func updateUIViewController(_ controller: UIActivityViewController, context: Context) {}
}
