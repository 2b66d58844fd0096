import LkFeatures
import SwiftUI

struct ReadingView: View {
    @State var model: ReadingViewModel
    @State private var capturing = false

    var body: some View {
        Form {
            ForEach(model.state.fields) { field in
                Section(field.title) {
                    TextField(
                        field.title,
                        text: Binding(
                            get: { field.text },
                            set: { value in
                                Task { await model.send(.setValue(field.id, value)) }
                            })
                    )
                    .keyboardType(.decimalPad)
                    .font(.title3.monospacedDigit())
                    if let previous = field.previous { Text(previous).font(.footnote).foregroundStyle(.secondary) }
                    ForEach(Array(field.proposals.enumerated()), id: \.offset) { index, proposal in
                        Button(proposal) { Task { await model.send(.choose(field.id, proposal: index)) } }
                            .accessibilityLabel("Предложено по фото: \(proposal)")
                    }
                }
            }
            Section {
                Button(model.state.photoTitle, systemImage: "camera") { capturing = true }
                if model.state.photoAttached { Label("Фото приложено", systemImage: "paperclip") }
            }
            ForEach(model.state.consumption, id: \.self) { Text($0) }
            ForEach(model.state.refusals, id: \.self) { ErrorText($0) }
            ForEach(model.state.notes, id: \.self) { Text($0).font(.footnote) }
            switch model.state.step {
            case .entry:
                Button(model.state.checkTitle) { Task { await model.send(.check) } }.disabled(!model.state.canCheck)
            case .confirm:
                Section {
                    ForEach(model.state.toConfirm, id: \.self) { Text($0) }
                    Button(model.state.confirmTitle) { Task { await model.send(.confirm) } }
                    Button("Изменить") { Task { await model.send(.edit) } }
                }
            case .done:
                if let message = model.state.message { Text(message).font(.title3) }
                Button("Готово") { Task { await model.send(.close) } }
            }
            if let error = model.state.error { ErrorText(error) }
        }
        .task { await model.send(.appear) }
        .navigationTitle(model.state.title)
        .sheet(isPresented: $capturing) {
            DialCapture { path, texts in
                capturing = false
                Task { await model.send(.photo(path: path, texts: texts)) }
            }
        }
    }
}
