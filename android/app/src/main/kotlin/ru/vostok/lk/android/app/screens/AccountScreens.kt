package ru.vostok.lk.android.app.screens

import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.FlowRow
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.filled.Refresh
import androidx.compose.material.icons.filled.Settings
import androidx.compose.material3.AssistChip
import androidx.compose.material3.Card
import androidx.compose.material3.Icon
import androidx.compose.material3.IconButton
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import ru.vostok.lk.android.app.R
import ru.vostok.lk.android.app.ui.LkScreen
import ru.vostok.lk.android.app.ui.Notice
import ru.vostok.lk.android.features.accounts.AccountDetailsEvent
import ru.vostok.lk.android.features.accounts.AccountDetailsPresenter
import ru.vostok.lk.android.features.accounts.AccountsEvent
import ru.vostok.lk.android.features.accounts.AccountsPresenter

@Composable
fun AccountsScreen(presenter: AccountsPresenter) {
    val state by presenter.state.collectAsStateWithLifecycle()
    val send = presenter::onEvent
    LkScreen(
        stringResource(R.string.accounts_title),
        onBack = null,
        busy = state.refreshing,
        actions = {
            IconButton(onClick = {
                send(AccountsEvent.Refresh)
            }) { Icon(Icons.Filled.Refresh, contentDescription = stringResource(R.string.refresh)) }
            IconButton(onClick = {
                send(AccountsEvent.Settings)
            }) { Icon(Icons.Filled.Settings, contentDescription = stringResource(R.string.settings)) }
        }
    ) {
        state.payments.forEach { Notice(it) }
        if (state.payments.isNotEmpty()) {
            TextButton(onClick = {
                send(AccountsEvent.DismissPayments)
            }) { Text(stringResource(R.string.close)) }
        }
        Notice(state.notice)
        Notice(state.error, error = true)
        Notice(state.empty)
        state.rows.forEach { row ->
            Card(Modifier.fillMaxWidth()) {
                Column(Modifier.padding(16.dp).semantics(mergeDescendants = true) { contentDescription = row.description }) {
                    Text(row.title, style = MaterialTheme.typography.titleMedium)
                    Text(row.address, style = MaterialTheme.typography.bodyMedium)
                    Text(row.owner, style = MaterialTheme.typography.bodySmall)
                    Text(
                        row.debt,
                        style = MaterialTheme.typography.headlineSmall,
                        color = if (row.hasDebt) MaterialTheme.colorScheme.error else MaterialTheme.colorScheme.onSurface
                    )
                    row.note?.let { Text(it, style = MaterialTheme.typography.labelMedium) }
                }
                FlowRow(Modifier.padding(horizontal = 8.dp)) {
                    AssistChip(onClick = { send(AccountsEvent.Pay(row.number)) }, label = { Text(stringResource(R.string.pay)) })
                    AssistChip(onClick = { send(AccountsEvent.Charges(row.number)) }, label = { Text(stringResource(R.string.charges)) })
                    AssistChip(onClick = { send(AccountsEvent.Meters(row.number)) }, label = { Text(stringResource(R.string.meters)) })
                    AssistChip(onClick = { send(AccountsEvent.Reports(row.number)) }, label = { Text(stringResource(R.string.reports)) })
                    AssistChip(onClick = {
                        send(AccountsEvent.Open(row.number))
                    }, label = { Text(stringResource(R.string.account_details)) })
                }
            }
        }
    }
}

@Composable
fun AccountDetailsScreen(presenter: AccountDetailsPresenter, onBack: () -> Unit) {
    val state by presenter.state.collectAsStateWithLifecycle()
    LkScreen(
        state.title,
        onBack = onBack,
        busy = state.loading,
        actions = {
            IconButton(onClick = {
                presenter.onEvent(AccountDetailsEvent.Refresh)
            }) { Icon(Icons.Filled.Refresh, contentDescription = stringResource(R.string.refresh)) }
        }
    ) {
        Notice(state.notice)
        Notice(state.error, error = true)
        state.sections.forEach { section ->
            Text(section.title, style = MaterialTheme.typography.titleMedium)
            section.fields.forEach { field ->
                Column(Modifier.semantics(mergeDescendants = true) { }) {
                    Text(field.label, style = MaterialTheme.typography.labelMedium)
                    Text(field.value, style = MaterialTheme.typography.bodyLarge)
                }
            }
        }
    }
}
