import LkFeatures
import SwiftUI

struct PaymentView: View {
    @State var model: PaymentViewModel

    var body: some View {
        Form {
            switch model.state.step {
            case .edit:
                Section(model.state.totalTitle) {
                    TextField(
                        model.state.totalTitle,
                        text: Binding(
                            get: { model.state.total },
                            set: { value in Task { await model.send(.setTotal(value)) } })
                    )
                    .keyboardType(.decimalPad)
                    if let error = model.state.totalError { ErrorText(error) }
                }
                Section("По услугам") {
                    ForEach(model.state.parts) { part in
                        if part.editable {
                            LabeledContent(part.service) {
                                TextField(
                                    part.service,
                                    text: Binding(
                                        get: { part.text },
                                        set: { value in
                                            Task { await model.send(.setPart(service: part.id, text: value)) }
                                        })
                                )
                                .keyboardType(.decimalPad)
                                .multilineTextAlignment(.trailing)
                            }
                            if let error = model.state.partErrors[part.id] { ErrorText(error) }
                        } else {
                            LabeledContent(part.service, value: part.amount)
                        }
                    }
                }
                Section(model.state.contactTitle) {
                    TextField(
                        model.state.contactTitle,
                        text: Binding(
                            get: { model.state.receiptContact },
                            set: { value in
                                Task { await model.send(.setReceiptContact(value)) }
                            })
                    )
                    .textContentType(.emailAddress)
                    if let error = model.state.receiptContactError { ErrorText(error) }
                }
                Button(model.state.continueTitle) { Task { await model.send(.proceed) } }.disabled(!model.state.canContinue)
            case .confirm:
                Section {
                    if let question = model.state.question { Text(question).font(.title3) }
                    ForEach(model.state.parts) { LabeledContent($0.service, value: $0.amount) }
                }
                Button(model.state.confirmTitle) { Task { await model.send(.pay) } }.disabled(model.state.busy)
                Button(model.state.backTitle) { Task { await model.send(.back) } }
            case .paying:
                ProgressView(model.state.status ?? "")
            case .done(let succeeded):
                Label(model.state.status ?? "", systemImage: succeeded ? "checkmark.circle" : "xmark.octagon")
                    .font(.title3)
                if succeeded { Button(model.state.receiptTitle) { Task { await model.send(.shareReceipt) } } }
                Button("Готово") { Task { await model.send(.close) } }
            }
            if let error = model.state.error { ErrorText(error) }
        }
        .task { await model.send(.appear) }
        .navigationTitle(model.state.title)
        .sheet(item: Binding(get: { model.state.receipt.map(ShareItem.init) }, set: { _ in })) { ShareSheet(file: $0.file) }
    }
}
