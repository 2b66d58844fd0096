import LkFeatures
import LkInterface
import SwiftUI

struct RoundsView: View {
    @State var model: RoundsViewModel

    var body: some View {
        List {
            if let notice = model.state.notice { NoticeText(notice) }
            if let error = model.state.error { ErrorText(error) }
            if model.state.open == nil {
                ForEach(model.state.rounds) { round in
                    Button {
                        Task { await model.send(.open(round: round.id)) }
                    } label: {
                        VStack(alignment: .leading) {
                            Text(round.title).font(.headline)
                            Text(round.size).font(.footnote).foregroundStyle(.secondary)
                        }
                    }
                }
            } else {
                Section {
                    if let progress = model.state.progress { Text(progress) }
                    if let sync = model.state.sync { Label(sync, systemImage: "arrow.triangle.2.circlepath") }
                }
                ForEach(model.state.stops) { stop in
                    Button {
                        Task { await model.send(.stop(stop.id)) }
                    } label: {
                        VStack(alignment: .leading) {
                            Text(stop.title).strikethrough(stop.cancelled)
                            if let note = stop.note { Text(note).font(.footnote).foregroundStyle(.secondary) }
                            Text(stop.meters).font(.footnote)
                        }
                    }
                    .disabled(stop.cancelled)
                }
            }
        }
        .task { await model.send(.appear) }
        .onAppear { Task { await model.send(.refreshStatus) } }
        .navigationTitle(model.state.title)
    }
}

struct CaptureView: View {
    @State var model: CaptureViewModel
    @State private var capturing = false

    var body: some View {
        Form {
            if let note = model.state.note { Text(note).font(.footnote) }
            Picker(
                "Счётчик",
                selection: Binding(
                    get: { model.state.meter ?? "" },
                    set: { id in Task { await model.send(.choose(meter: id)) } })
            ) {
                ForEach(model.state.meters) { Text($0.title).tag($0.id) }
            }
            if let meter = model.state.meters.first(where: { $0.id == model.state.meter }) {
                ForEach(meter.previous + meter.expected, id: \.self) { Text($0).font(.footnote) }
            }
            Section {
                Toggle(
                    "Номер на счётчике другой",
                    isOn: Binding(
                        get: { model.state.serialDiffers },
                        set: { differs in
                            Task { await model.send(.serialDiffers(written: differs ? "" : nil)) }
                        }))
                if model.state.serialDiffers {
                    TextField(
                        "Номер на счётчике",
                        text: Binding(
                            get: { model.state.writtenSerial },
                            set: { written in
                                Task { await model.send(.serialDiffers(written: written)) }
                            }))
                }
                ForEach(model.state.zones, id: \.self) { zone in
                    TextField(
                        "Показание",
                        text: Binding(
                            get: { model.state.values[zone] ?? "" },
                            set: { value in
                                Task { await model.send(.setValue(zone, value)) }
                            })
                    )
                    .keyboardType(.decimalPad)
                }
            }
            Section("Не снято") {
                Picker(
                    "Причина",
                    selection: Binding(
                        get: { model.state.skip },
                        set: { reason in
                            Task { await model.send(.skip(reason, note: model.state.skipNote)) }
                        })
                ) {
                    Text("Снято").tag(Optional<SkipReason>.none)
                    ForEach(model.state.skipReasons) { Text($0.title).tag(Optional($0.id)) }
                }
            }
            Button(model.state.photoTitle, systemImage: "camera") { capturing = true }
            if let verdict = model.state.verdict { Text(verdict).font(.headline) }
            ForEach(model.state.reasons, id: \.self) { Text($0).font(.footnote) }
            Button(model.state.saveTitle) { Task { await model.send(.save) } }.disabled(!model.state.canSave)
            if let message = model.state.message { Text(message) }
            if let error = model.state.error { ErrorText(error) }
        }
        .task { await model.send(.appear) }
        .navigationTitle(model.state.title)
        .sheet(isPresented: $capturing) {
            DialCapture { path, _ in
                capturing = false
                Task { await model.send(.photo(path: path)) }
            }
        }
    }
}
