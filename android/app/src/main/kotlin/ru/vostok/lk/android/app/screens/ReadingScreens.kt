package ru.vostok.lk.android.app.screens

import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.FlowRow
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.material3.AlertDialog
import androidx.compose.material3.Button
import androidx.compose.material3.Card
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.SuggestionChip
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.semantics.clearAndSetSemantics
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import ru.vostok.lk.android.app.R
import ru.vostok.lk.android.app.ui.LkScreen
import ru.vostok.lk.android.app.ui.Notice
import ru.vostok.lk.android.features.readings.MetersEvent
import ru.vostok.lk.android.features.readings.MetersPresenter
import ru.vostok.lk.android.features.readings.OutboxAction
import ru.vostok.lk.android.features.readings.OutboxEvent
import ru.vostok.lk.android.features.readings.OutboxPresenter
import ru.vostok.lk.android.features.readings.ReadingEvent
import ru.vostok.lk.android.features.readings.ReadingPresenter

@Composable
fun MetersScreen(presenter: MetersPresenter, onBack: () -> Unit) {
    val state by presenter.state.collectAsStateWithLifecycle()
    val send = presenter::onEvent
    LkScreen(
        state.title,
        onBack = onBack,
        busy = state.loading,
        actions = { TextButton(onClick = { send(MetersEvent.Outbox) }) { Text(stringResource(R.string.outbox)) } }
    ) {
        Notice(state.notice)
        Notice(state.error, error = true)
        Notice(state.window)
        state.rows.forEach { row ->
            Card(
                onClick = { send(MetersEvent.Open(row.id)) },
                modifier = Modifier.fillMaxWidth().clearAndSetSemantics {
                    contentDescription =
                        row.description
                }
            ) {
                Column(Modifier.padding(12.dp)) {
                    Text(row.title, style = MaterialTheme.typography.titleMedium)
                    Text(row.verification)
                    row.warning?.let {
                        Text(it, color = if (row.expired) MaterialTheme.colorScheme.error else MaterialTheme.colorScheme.tertiary)
                    }
                    row.start?.let { Text(it) }
                    row.current?.let { Text(it, style = MaterialTheme.typography.bodySmall) }
                }
            }
        }
    }
}

@Composable
fun ReadingScreen(presenter: ReadingPresenter) {
    val state by presenter.state.collectAsStateWithLifecycle()
    val send = presenter::onEvent
    val camera = rememberDialCamera()
    LkScreen(
        state.title.ifEmpty { stringResource(R.string.reading_title) },
        onBack = { send(ReadingEvent.Close) },
        busy =
            state.loading || state.busy
    ) {
        Notice(state.notice)
        Notice(state.window)
        Notice(state.warning, error = true)
        Notice(state.error, error = true)
        state.refusals.forEach { Notice(it, error = true) }
        Notice(state.done)
        if (state.done != null) return@LkScreen
        state.fields.forEach { field ->
            DialValueField(field.label, field.text, { send(ReadingEvent.Typed(field.zone, it)) }, field.error)
            field.previous?.let { Text(it, style = MaterialTheme.typography.bodySmall) }
            if (field.proposals.isNotEmpty()) {
                Text(stringResource(R.string.proposals), style = MaterialTheme.typography.labelLarge)
                FlowRow {
                    field.proposals.forEachIndexed { i, p ->
                        SuggestionChip(onClick = { send(ReadingEvent.ChooseProposal(field.zone, i)) }, label = { Text(p) })
                    }
                }
            }
            DialPhoto(camera, field.zone.name) { path, texts -> send(ReadingEvent.DialRead(field.zone, path, texts)) }
        }
        if (state.photoAttached) {
            Text(stringResource(R.string.photo_attached))
            TextButton(onClick = { send(ReadingEvent.RemovePhoto) }) { Text(stringResource(R.string.remove_photo)) }
        }
        Button(onClick = {
            send(ReadingEvent.Send)
        }, enabled = state.canSend, modifier = Modifier.fillMaxWidth()) { Text(stringResource(R.string.send)) }
    }
    state.confirmation?.let { c ->
        AlertDialog(
            onDismissRequest = { send(ReadingEvent.CancelConfirmation) },
            title = { Text(stringResource(R.string.reading_confirm_title)) },
            text = {
                Column {
                    c.lines.forEach { Text(it, style = MaterialTheme.typography.bodyLarge) }
                    c.questions.forEach { Text(it, color = MaterialTheme.colorScheme.error) }
                }
            },
            confirmButton = { TextButton(onClick = { send(ReadingEvent.Confirm) }) { Text(c.confirmLabel) } },
            dismissButton = { TextButton(onClick = { send(ReadingEvent.CancelConfirmation) }) { Text(stringResource(R.string.cancel)) } }
        )
    }
}

@Composable
fun OutboxScreen(presenter: OutboxPresenter) {
    val state by presenter.state.collectAsStateWithLifecycle()
    val send = presenter::onEvent
    LkScreen(stringResource(R.string.outbox_title), onBack = { send(OutboxEvent.Close) }, busy = state.syncing) {
        Notice(state.summary)
        Notice(state.error, error = true)
        Button(onClick = { send(OutboxEvent.SyncNow) }) { Text(stringResource(R.string.sync_now)) }
        state.rows.forEach { row ->
            Card(Modifier.fillMaxWidth()) {
                Column(Modifier.padding(12.dp)) {
                    Column(Modifier.clearAndSetSemantics { contentDescription = row.description }) {
                        Text(row.title, style = MaterialTheme.typography.titleSmall)
                        Text(
                            row.status,
                            color = if (row.needsAction) MaterialTheme.colorScheme.error else MaterialTheme.colorScheme.onSurface
                        )
                    }
                    FlowRow {
                        row.actions.forEach { action ->
                            val label = when (action) {
                                OutboxAction.RETRY -> R.string.retry
                                OutboxAction.RETRY_WITHOUT_PHOTO -> R.string.retry_without_photo
                                OutboxAction.DISMISS -> R.string.dismiss
                            }
                            TextButton(onClick = { send(OutboxEvent.Act(row.id, action)) }) { Text(stringResource(label)) }
                        }
                    }
                }
            }
        }
    }
}
