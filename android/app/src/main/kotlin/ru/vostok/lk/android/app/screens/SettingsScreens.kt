package ru.vostok.lk.android.app.screens

import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.FlowRow
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.selection.toggleable
import androidx.compose.material3.AlertDialog
import androidx.compose.material3.Card
import androidx.compose.material3.FilterChip
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Switch
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
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
import ru.vostok.lk.android.app.R
import ru.vostok.lk.android.app.ui.Field
import ru.vostok.lk.android.app.ui.LkScreen
import ru.vostok.lk.android.app.ui.Notice
import ru.vostok.lk.android.features.reports.Report
import ru.vostok.lk.android.features.reports.ReportsEvent
import ru.vostok.lk.android.features.reports.ReportsPresenter
import ru.vostok.lk.android.features.settings.SettingsDialog
import ru.vostok.lk.android.features.settings.SettingsEvent
import ru.vostok.lk.android.features.settings.SettingsPresenter

@Composable
fun ReportsScreen(presenter: ReportsPresenter, onBack: () -> Unit) {
    val state by presenter.state.collectAsStateWithLifecycle()
    val send = presenter::onEvent
    LkScreen(stringResource(R.string.reports_title), onBack = onBack, busy = state.loading) {
        FlowRow {
            state.tabs.forEach { (report, title) ->
                FilterChip(selected = state.report == report, onClick = { send(ReportsEvent.Show(report)) }, label = { Text(title) })
            }
        }
        if (state.report != Report.CHARGES) Text(state.range)
        if (state.report == Report.READINGS) {
            Row(
                Modifier.toggleable(state.commonHouse, role = Role.Switch) {
                    send(ReportsEvent.CommonHouse(it))
                },
                verticalAlignment = Alignment.CenterVertically
            ) {
                Text(stringResource(R.string.common_house), Modifier.weight(1f))
                Switch(checked = state.commonHouse, onCheckedChange = null)
            }
        }
        Notice(state.notice)
        Notice(state.error, error = true)
        Notice(state.empty)
        state.lines.forEach { line ->
            Card(Modifier.fillMaxWidth()) {
                Column(Modifier.padding(12.dp)) {
                    Column(Modifier.clearAndSetSemantics { contentDescription = line.description }) {
                        Text(line.title, style = MaterialTheme.typography.titleSmall)
                        Text(line.value, style = MaterialTheme.typography.bodyLarge)
                        line.detail?.let { Text(it, style = MaterialTheme.typography.bodySmall) }
                    }
                    line.receiptId?.let { id ->
                        TextButton(onClick = { send(ReportsEvent.OpenReceipt(id)) }) { Text(stringResource(R.string.receipt_open)) }
                    }
                }
            }
        }
        state.total?.let { Text(it, style = MaterialTheme.typography.titleMedium) }
    }
}

@Composable
fun SettingsScreen(presenter: SettingsPresenter, onBack: () -> Unit) {
    val state by presenter.state.collectAsStateWithLifecycle()
    val send = presenter::onEvent
    LkScreen(stringResource(R.string.settings_title), onBack = onBack, busy = state.loading) {
        Notice(state.notice)
        Notice(state.error, error = true)
        Notice(state.message)
        Text(stringResource(R.string.profile), style = MaterialTheme.typography.titleMedium)
        Text("${stringResource(R.string.login)}: ${state.login}")
        Text("${stringResource(R.string.phone)}: ${state.phone}")
        Text("${stringResource(R.string.email)}: ${state.email}")
        FlowRow {
            OutlinedButton(onClick = {
                send(SettingsEvent.Open(SettingsDialog.Password()))
            }) { Text(stringResource(R.string.change_password)) }
            OutlinedButton(onClick = { send(SettingsEvent.Open(SettingsDialog.Phone())) }) { Text(stringResource(R.string.change_phone)) }
            OutlinedButton(onClick = { send(SettingsEvent.Open(SettingsDialog.Email())) }) { Text(stringResource(R.string.change_email)) }
        }
        Text(stringResource(R.string.notifications), style = MaterialTheme.typography.titleMedium)
        state.permissionRationale?.let { why ->
            Notice(why)
            Row {
                TextButton(onClick = { send(SettingsEvent.AllowNotifications) }) { Text(stringResource(R.string.notifications_allow)) }
                TextButton(onClick = { send(SettingsEvent.NotNow) }) { Text(stringResource(R.string.notifications_later)) }
            }
        }
        state.toggles.forEach { t ->
            Row(
                Modifier.fillMaxWidth().toggleable(t.on, role = Role.Switch) {
                    send(SettingsEvent.Switch(t.toggle, it))
                },
                verticalAlignment = Alignment.CenterVertically
            ) {
                Text(t.label, Modifier.weight(1f))
                Switch(checked = t.on, onCheckedChange = null)
            }
        }
        Text(stringResource(R.string.accounts_title), style = MaterialTheme.typography.titleMedium)
        state.accounts.forEach { a ->
            Text(a.text)
            TextButton(onClick = { send(SettingsEvent.PaperRefusal(a.number)) }) { Text(stringResource(R.string.paper_refusal)) }
        }
        OutlinedButton(onClick = { send(SettingsEvent.Open(SettingsDialog.LinkAccount())) }) { Text(stringResource(R.string.link_account)) }
        Text(stringResource(R.string.support), style = MaterialTheme.typography.titleMedium)
        Text(state.support)
        OutlinedButton(onClick = {
            send(SettingsEvent.SignOut)
        }, modifier = Modifier.fillMaxWidth()) { Text(stringResource(R.string.sign_out)) }
    }
    state.dialog?.let { SettingsDialogView(it, send) }
}

@Composable
private fun SettingsDialogView(dialog: SettingsDialog, send: (SettingsEvent) -> Unit) {
    val edit = { d: SettingsDialog -> send(SettingsEvent.Edit(d)) }
    if (dialog is SettingsDialog.SignOut) {
        AlertDialog(
            onDismissRequest = { send(SettingsEvent.CloseDialog) },
            text = { Text(dialog.question) },
            confirmButton = {
                TextButton(onClick = {
                    send(SettingsEvent.SignOutConfirmed(keepUnsent = true))
                }) { Text(stringResource(R.string.sign_out_keep)) }
            },
            dismissButton = {
                TextButton(onClick = {
                    send(SettingsEvent.SignOutConfirmed(keepUnsent = false))
                }) { Text(stringResource(R.string.sign_out_discard)) }
            }
        )
        return
    }
    AlertDialog(
        onDismissRequest = { send(SettingsEvent.CloseDialog) },
        text = {
            Column {
                when (dialog) {
                    is SettingsDialog.Password -> {
                        Field(stringResource(R.string.password_old), dialog.old, {
                            edit(dialog.copy(old = it))
                        }, secret = true, keyboard = KeyboardType.Password)
                        Field(stringResource(R.string.password_new), dialog.new, {
                            edit(dialog.copy(new = it))
                        }, secret = true, keyboard = KeyboardType.Password)
                        Field(stringResource(R.string.password_repeat), dialog.repeat, {
                            edit(dialog.copy(repeat = it))
                        }, secret = true, keyboard = KeyboardType.Password)
                    }

                    is SettingsDialog.Phone -> {
                        Field(stringResource(R.string.phone), dialog.phone, {
                            edit(dialog.copy(phone = it))
                        }, keyboard = KeyboardType.Phone)
                        dialog.codeSentTo?.let {
                            Text(it)
                            Field(stringResource(R.string.code), dialog.code, { c ->
                                edit(dialog.copy(code = c))
                            }, keyboard = KeyboardType.NumberPassword)
                        }
                    }

                    is SettingsDialog.Email -> {
                        Field(stringResource(R.string.email), dialog.email, {
                            edit(dialog.copy(email = it))
                        }, keyboard = KeyboardType.Email)
                        dialog.sentTo?.let { Text(it) }
                    }

                    is SettingsDialog.LinkAccount -> {
                        Field(stringResource(R.string.login), dialog.login, { edit(dialog.copy(login = it)) })
                        Field(stringResource(R.string.password), dialog.password, {
                            edit(dialog.copy(password = it))
                        }, secret = true, keyboard = KeyboardType.Password)
                    }

                    is SettingsDialog.SignOut -> Unit
                }
                dialog.error?.let { Text(it, color = MaterialTheme.colorScheme.error) }
            }
        },
        confirmButton = {
            TextButton(onClick = { send(SettingsEvent.Submit) }, enabled = !dialog.busy) { Text(stringResource(R.string.send)) }
        },
        dismissButton = { TextButton(onClick = { send(SettingsEvent.CloseDialog) }) { Text(stringResource(R.string.close)) } }
    )
}
