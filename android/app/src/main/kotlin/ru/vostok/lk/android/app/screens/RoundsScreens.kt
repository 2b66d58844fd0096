package ru.vostok.lk.android.app.screens

import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.FlowRow
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.selection.toggleable
import androidx.compose.material3.Button
import androidx.compose.material3.Card
import androidx.compose.material3.Checkbox
import androidx.compose.material3.FilterChip
import androidx.compose.material3.MaterialTheme
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
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import ru.vostok.lk.android.app.R
import ru.vostok.lk.android.app.ui.Field
import ru.vostok.lk.android.app.ui.LkScreen
import ru.vostok.lk.android.app.ui.Notice
import ru.vostok.lk.android.features.rounds.RoundsEvent
import ru.vostok.lk.android.features.rounds.RoundsPresenter
import ru.vostok.lk.android.features.rounds.RouteEvent
import ru.vostok.lk.android.features.rounds.RoutePresenter
import ru.vostok.lk.android.features.rounds.StopEvent
import ru.vostok.lk.android.features.rounds.StopPresenter

@Composable
fun RoundsScreen(presenter: RoundsPresenter) {
    val state by presenter.state.collectAsStateWithLifecycle()
    val send = presenter::onEvent
    LkScreen(
        stringResource(R.string.rounds_title),
        onBack = null,
        busy = state.loading,
        actions = { TextButton(onClick = { send(RoundsEvent.SignOut) }) { Text(stringResource(R.string.settings)) } }
    ) {
        Notice(state.notice)
        Notice(state.error, error = true)
        Notice(state.empty)
        state.rows.forEach { row ->
            Card(
                onClick = { send(RoundsEvent.Open(row.id)) },
                modifier = Modifier.fillMaxWidth().clearAndSetSemantics {
                    contentDescription =
                        row.description
                }
            ) {
                Column(Modifier.padding(12.dp)) {
                    Text(row.name, style = MaterialTheme.typography.titleMedium)
                    Text(row.detail)
                }
            }
        }
    }
}

@Composable
fun RouteScreen(presenter: RoutePresenter, onBack: () -> Unit) {
    val state by presenter.state.collectAsStateWithLifecycle()
    val send = presenter::onEvent
    LkScreen(state.title, onBack = onBack, busy = state.loading, actions = {
        TextButton(onClick = { send(RouteEvent.SyncNow) }) { Text(stringResource(R.string.sync_now)) }
    }) {
        Notice(state.notice)
        Notice(state.error, error = true)
        state.progress?.let { Text(it, style = MaterialTheme.typography.titleMedium) }
        Notice(state.sync)
        state.stops.forEach { stop ->
            Card(
                onClick = {
                    send(RouteEvent.Open(stop.id))
                },
                enabled = !stop.cancelled,
                modifier = Modifier.fillMaxWidth().clearAndSetSemantics {
                    contentDescription =
                        stop.description
                }
            ) {
                Column(Modifier.padding(12.dp)) {
                    Text(stop.title, style = MaterialTheme.typography.titleSmall)
                    Text(stop.address, style = MaterialTheme.typography.bodySmall)
                    Text(stop.status, color = if (stop.done) MaterialTheme.colorScheme.primary else MaterialTheme.colorScheme.onSurface)
                }
            }
        }
    }
}

@Composable
fun StopScreen(presenter: StopPresenter) {
    val state by presenter.state.collectAsStateWithLifecycle()
    val send = presenter::onEvent
    val camera = rememberDialCamera()
    LkScreen(state.title, onBack = { send(StopEvent.Close) }) {
        Notice(state.error, error = true)
        Text(state.address)
        state.accessNote?.let { Notice(it) }
        Text(state.owner, style = MaterialTheme.typography.bodySmall)
        state.meters.forEach { m ->
            Card(Modifier.fillMaxWidth()) {
                Column(Modifier.padding(12.dp)) {
                    Text(m.title, style = MaterialTheme.typography.titleMedium)
                    m.previous?.let { Text(it, style = MaterialTheme.typography.bodySmall) }
                    if (m.skip == null) {
                        m.zones.forEach { z ->
                            DialValueField(z.label, z.text, { send(StopEvent.Typed(m.meterId, z.zone, it)) }, hint = z.expected)
                        }
                        Row(
                            Modifier.toggleable(m.serialDiffers, role = Role.Checkbox) {
                                send(StopEvent.SerialDiffers(m.meterId, it, m.writtenSerial))
                            },
                            verticalAlignment = Alignment.CenterVertically
                        ) {
                            Checkbox(checked = m.serialDiffers, onCheckedChange = null)
                            Text(stringResource(R.string.serial_differs))
                        }
                        if (m.serialDiffers) {
                            Field(stringResource(R.string.serial_written), m.writtenSerial, {
                                send(StopEvent.SerialDiffers(m.meterId, true, it))
                            })
                        }
                    }
                    Text(stringResource(R.string.skip), style = MaterialTheme.typography.labelLarge)
                    FlowRow {
                        state.skipReasons.forEach { (reason, name) ->
                            FilterChip(
                                selected = m.skip == reason,
                                onClick = { send(StopEvent.Skip(m.meterId, if (m.skip == reason) null else reason, m.note)) },
                                label = { Text(name) }
                            )
                        }
                    }
                    if (m.skip != null) Field(stringResource(R.string.skip_note), m.note, { send(StopEvent.Skip(m.meterId, m.skip, it)) })
                    DialPhoto(camera, m.meterId) { path, _ -> send(StopEvent.Photo(m.meterId, path)) }
                    if (m.photoPath != null) Text(stringResource(R.string.photo_attached))
                    Notice(m.verdict, error = m.photoNeeded)
                    Notice(m.error, error = true)
                    Notice(m.saved)
                    Button(onClick = { send(StopEvent.Save(m.meterId)) }, enabled = m.canSave) { Text(stringResource(R.string.save)) }
                }
            }
        }
    }
}
