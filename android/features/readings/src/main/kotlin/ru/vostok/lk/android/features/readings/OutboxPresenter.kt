package ru.vostok.lk.android.features.readings

import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch
import ru.vostok.lk.android.api.FailureCode
import ru.vostok.lk.android.api.Lk
import ru.vostok.lk.android.api.LkFailure
import ru.vostok.lk.android.api.OutboxItem
import ru.vostok.lk.android.api.OutboxState
import ru.vostok.lk.android.presentation.Navigator
import ru.vostok.lk.android.presentation.Presenter
import ru.vostok.lk.android.presentation.Wording

/** What the person can do with an item the service refused. */
enum class OutboxAction { RETRY, RETRY_WITHOUT_PHOTO, DISMISS }

data class OutboxRow(
    val id: Long,
    val title: String,
    /** "Ожидает отправки", "Отправлено", or the service's reason. */
    val status: String,
    val needsAction: Boolean,
    val actions: List<OutboxAction>,
    val description: String
)

data class OutboxUiState(
    val rows: List<OutboxRow> = emptyList(),
    /** "2 записи ждут связи". */
    val summary: String? = null,
    val syncing: Boolean = false,
    val error: String? = null
)

sealed interface OutboxEvent {
    data object SyncNow : OutboxEvent

    data class Act(val id: Long, val action: OutboxAction) : OutboxEvent

    data object Close : OutboxEvent
}

/** The actions made on this phone that wait for the network or for the person (R11, R24): never lost, never sent twice. */
class OutboxPresenter(
    private val lk: Lk,
    private val wording: Wording,
    private val navigator: Navigator,
    private val scope: CoroutineScope
) : Presenter<OutboxUiState, OutboxEvent> {
    private val mutable = MutableStateFlow(OutboxUiState())
    override val state: StateFlow<OutboxUiState> = mutable

    init {
        scope.launch {
            lk.readings.outbox.collect { items -> mutable.update { it.copy(rows = items.map(::row), summary = summary(items)) } }
        }
    }

    override fun onEvent(event: OutboxEvent) {
        when (event) {
            OutboxEvent.SyncNow -> sync()
            is OutboxEvent.Act -> act(event.id, event.action)
            OutboxEvent.Close -> navigator.back()
        }
    }

    private fun sync() {
        mutable.update { it.copy(syncing = true, error = null) }
        scope.launch {
            try {
                lk.syncNow()
                mutable.update { it.copy(syncing = false) }
            } catch (e: LkFailure) {
                mutable.update { it.copy(syncing = false, error = wording.failure(e)) }
            }
        }
    }

    private fun act(id: Long, action: OutboxAction) {
        if (lk.readings.outbox.value.none { it.id == id }) return
        try {
            when (action) {
                OutboxAction.RETRY -> lk.readings.retry(id)
                OutboxAction.RETRY_WITHOUT_PHOTO -> lk.readings.retryWithoutPhoto(id)
                OutboxAction.DISMISS -> lk.readings.dismiss(id)
            }
            if (action != OutboxAction.DISMISS) sync()
        } catch (e: LkFailure) {
            mutable.update { it.copy(error = wording.failure(e)) }
        }
    }

    private fun row(item: OutboxItem): OutboxRow {
        val status = when (item.state) {
            OutboxState.QUEUED -> "Ожидает отправки"
            OutboxState.SENT -> "Отправлено"
            OutboxState.NEEDS_ACTION -> item.error?.let(wording::failure) ?: "Не принято"
        }
        val actions = when {
            item.state != OutboxState.NEEDS_ACTION -> if (item.state == OutboxState.SENT) listOf(OutboxAction.DISMISS) else emptyList()

            // Confirming needs the check again, which the entry cannot give yet (requested of the
            // core): the person sends the reading again from its meter.
            item.error?.code == FailureCode.READING_NOT_CONFIRMED -> listOf(OutboxAction.DISMISS)

            item.hasPhoto -> listOf(OutboxAction.RETRY, OutboxAction.RETRY_WITHOUT_PHOTO, OutboxAction.DISMISS)

            else -> listOf(OutboxAction.RETRY, OutboxAction.DISMISS)
        }
        val made = wording.day(item.createdAt)
        return OutboxRow(item.id, item.title, status, item.state == OutboxState.NEEDS_ACTION, actions, "${item.title}, $made. $status")
    }

    private fun summary(items: List<OutboxItem>): String? {
        val waiting = items.count { it.state == OutboxState.QUEUED }.toLong()
        val refused = items.count { it.state == OutboxState.NEEDS_ACTION }.toLong()
        val f = wording.format
        return listOfNotNull(
            if (waiting >
                0
            ) {
                "${f.count(waiting, "запись", "записи", "записей")} ${f.plural(waiting, "ждёт", "ждут", "ждут")} связи"
            } else {
                null
            },
            if (refused >
                0
            ) {
                "${f.count(
                    refused,
                    "запись",
                    "записи",
                    "записей"
                )} ${f.plural(refused, "требует", "требуют", "требуют")} вашего решения"
            } else {
                null
            }
        ).joinToString(". ").ifEmpty { null }
    }
}
