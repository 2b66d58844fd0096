package ru.vostok.lk.android.app.screens

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.FlowRow
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.selection.toggleable
import androidx.compose.material3.AlertDialog
import androidx.compose.material3.Button
import androidx.compose.material3.Card
import androidx.compose.material3.Checkbox
import androidx.compose.material3.FilterChip
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.semantics.Role
import androidx.compose.ui.semantics.clearAndSetSemantics
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.text.input.KeyboardType
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import kotlinx.coroutines.flow.Flow
import ru.vostok.lk.android.api.Channel
import ru.vostok.lk.android.app.R
import ru.vostok.lk.android.app.ui.Field
import ru.vostok.lk.android.app.ui.LkScreen
import ru.vostok.lk.android.app.ui.Notice
import ru.vostok.lk.android.features.charges.ChargesEvent
import ru.vostok.lk.android.features.charges.ChargesPresenter
import ru.vostok.lk.android.features.charges.Column as ChargeColumn
import ru.vostok.lk.android.features.payment.PaymentEvent
import ru.vostok.lk.android.features.payment.PaymentPresenter
import ru.vostok.lk.android.features.payment.PaymentStage

@Composable
private fun Columns(columns: List<ChargeColumn>) {
    columns.forEach { c ->
        Row(Modifier.fillMaxWidth(), horizontalArrangement = Arrangement.SpaceBetween) {
            Text("${c.number}. ${c.label}", style = MaterialTheme.typography.bodySmall, modifier = Modifier.weight(1f))
            Text(c.value, style = MaterialTheme.typography.bodyMedium)
        }
    }
}

@Composable
fun ChargesScreen(presenter: ChargesPresenter, onBack: () -> Unit) {
    val state by presenter.state.collectAsStateWithLifecycle()
    val send = presenter::onEvent
    LkScreen(state.title, onBack = onBack, busy = state.loading) {
        Notice(state.notice)
        Notice(state.error, error = true)
        Notice(state.message)
        FlowRow {
            state.periods.forEach { p ->
                FilterChip(selected = p.period == state.selected, onClick = {
                    send(ChargesEvent.SelectPeriod(p.period))
                }, label = { Text(p.title) })
            }
        }
        state.heading?.let { Text(it, style = MaterialTheme.typography.titleLarge) }
        state.due?.let { Text(it) }
        state.cards.forEach { card ->
            // R7: column 8 first, the seven others beneath; TalkBack reads the card as one sentence.
            Card(Modifier.fillMaxWidth().clearAndSetSemantics { contentDescription = card.description }) {
                Column(Modifier.padding(12.dp)) {
                    Row(Modifier.fillMaxWidth(), horizontalArrangement = Arrangement.SpaceBetween) {
                        Text(card.service, style = MaterialTheme.typography.titleMedium, modifier = Modifier.weight(1f))
                        Text(card.toPay, style = MaterialTheme.typography.titleMedium)
                    }
                    Columns(card.columns)
                }
            }
        }
        if (state.totals.isNotEmpty()) {
            Text(stringResource(R.string.totals), style = MaterialTheme.typography.titleMedium)
            Columns(state.totals)
        }
        if (state.recalculations.isNotEmpty()) {
            Text(stringResource(R.string.recalculations), style = MaterialTheme.typography.titleMedium)
            state.recalculations.forEach { Text(it) }
        }
        state.amountDue?.let { Text(it, style = MaterialTheme.typography.headlineSmall) }
        if (state.canPay) {
            Button(onClick = {
                send(ChargesEvent.Pay)
            }, modifier = Modifier.fillMaxWidth()) { Text(stringResource(R.string.pay)) }
        }
        FlowRow {
            OutlinedButton(onClick = { send(ChargesEvent.OpenPdf) }) { Text(stringResource(R.string.document_open)) }
            OutlinedButton(onClick = { send(ChargesEvent.SharePdf) }) { Text(stringResource(R.string.document_share)) }
            OutlinedButton(onClick = { send(ChargesEvent.AskEmail) }) { Text(stringResource(R.string.document_email)) }
        }
    }
    state.emailDialog?.let { dialog ->
        AlertDialog(
            onDismissRequest = { send(ChargesEvent.CloseEmail) },
            title = { Text(stringResource(R.string.document_email)) },
            text = {
                Field(stringResource(R.string.email), dialog.address, {
                    send(ChargesEvent.EmailChanged(it))
                }, dialog.error, KeyboardType.Email, hint = stringResource(R.string.email_hint))
            },
            confirmButton = {
                TextButton(onClick = { send(ChargesEvent.SendEmail) }, enabled = !dialog.busy) { Text(stringResource(R.string.send)) }
            },
            dismissButton = { TextButton(onClick = { send(ChargesEvent.CloseEmail) }) { Text(stringResource(R.string.cancel)) } }
        )
    }
}

@Composable
fun PaymentScreen(presenter: PaymentPresenter, returns: Flow<Unit>) {
    val state by presenter.state.collectAsStateWithLifecycle()
    val send = presenter::onEvent
    LaunchedEffect(returns) { returns.collect { send(PaymentEvent.Returned) } }
    val busy = state.loading || state.stage == PaymentStage.STARTING || state.stage == PaymentStage.AT_BANK
    LkScreen(state.title, onBack = { send(PaymentEvent.Close) }, busy = busy) {
        Notice(state.error, error = true)
        Notice(state.status, error = state.stage == PaymentStage.DONE && !state.succeeded)
        Notice(state.note)
        if (state.stage == PaymentStage.DONE) {
            if (state.succeeded) Button(onClick = { send(PaymentEvent.OpenReceipt) }) { Text(stringResource(R.string.receipt_open)) }
            return@LkScreen
        }
        Field(stringResource(R.string.payment_total), state.total, {
            send(PaymentEvent.TotalChanged(it))
        }, state.totalError, KeyboardType.Decimal)
        Text(stringResource(R.string.payment_split), style = MaterialTheme.typography.titleMedium)
        state.parts.forEach { part ->
            Row(Modifier.fillMaxWidth(), verticalAlignment = Alignment.CenterVertically) {
                Text(part.service, modifier = Modifier.weight(1f))
                Text(part.amount, style = MaterialTheme.typography.bodyLarge)
            }
            if (part.editable) {
                Field(stringResource(R.string.payment_part_hint), part.input, {
                    send(PaymentEvent.PartChanged(part.serviceCode, it))
                }, keyboard = KeyboardType.Decimal)
            }
        }
        Notice(state.partsError, error = true)
        Text(stringResource(R.string.receipt_to), style = MaterialTheme.typography.titleMedium)
        FlowRow {
            FilterChip(selected = state.receiptChannel == Channel.EMAIL, onClick = {
                send(PaymentEvent.ReceiptChannel(Channel.EMAIL))
            }, label = { Text(stringResource(R.string.receipt_email)) })
            FilterChip(selected = state.receiptChannel == Channel.PHONE, onClick = {
                send(PaymentEvent.ReceiptChannel(Channel.PHONE))
            }, label = { Text(stringResource(R.string.receipt_phone)) })
        }
        val keyboard = if (state.receiptChannel == Channel.EMAIL) KeyboardType.Email else KeyboardType.Phone
        Field(
            if (state.receiptChannel ==
                Channel.EMAIL
            ) {
                stringResource(R.string.email)
            } else {
                stringResource(R.string.phone)
            },
            state.receiptContact,
            { send(PaymentEvent.ReceiptContact(it)) },
            state.receiptError,
            keyboard
        )
        Row(
            Modifier.fillMaxWidth().toggleable(state.totalConfirmed, role = Role.Checkbox) { send(PaymentEvent.ConfirmTotal(it)) },
            verticalAlignment = Alignment.CenterVertically
        ) {
            Checkbox(checked = state.totalConfirmed, onCheckedChange = null)
            Text(state.confirmQuestion)
        }
        Text(stringResource(R.string.bank_page_note), style = MaterialTheme.typography.bodySmall)
        Button(onClick = {
            send(PaymentEvent.Pay)
        }, enabled = state.canPay, modifier = Modifier.fillMaxWidth()) { Text(stringResource(R.string.pay_by_card)) }
    }
}
