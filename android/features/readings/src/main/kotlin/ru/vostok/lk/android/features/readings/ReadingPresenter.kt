package ru.vostok.lk.android.features.readings

import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch
import kotlinx.coroutines.withTimeoutOrNull
import ru.vostok.lk.android.api.Lk
import ru.vostok.lk.android.api.LkFailure
import ru.vostok.lk.android.api.MeterItem
import ru.vostok.lk.android.api.OutboxItem
import ru.vostok.lk.android.api.OutboxState
import ru.vostok.lk.android.api.ReadingCheck
import ru.vostok.lk.android.api.RecognisedText
import ru.vostok.lk.android.api.Severity
import ru.vostok.lk.android.api.TariffZone
import ru.vostok.lk.android.api.Verification
import ru.vostok.lk.android.presentation.Navigator
import ru.vostok.lk.android.presentation.Presenter
import ru.vostok.lk.android.presentation.Wording

/** One input per tariff zone (R10). */
data class ZoneField(
    val zone: TariffZone,
    /** "День (Т1)", or "Показание" for a single-zone meter. */
    val label: String,
    val text: String = "",
    /** "Было: 1 234,5". */
    val previous: String?,
    val error: String? = null,
    /** R21: what the dial photo may read, best first, by the core. */
    val proposals: List<String> = emptyList()
)

/** R11: the confirmation with the consumption the core computed, and what its checks ask to confirm. */
data class Confirmation(val lines: List<String>, val questions: List<String>, val confirmLabel: String)

data class ReadingState(
    val title: String = "",
    val loading: Boolean = true,
    val window: String? = null,
    val warning: String? = null,
    val fields: List<ZoneField> = emptyList(),
    /** Refusals that name no zone. */
    val refusals: List<String> = emptyList(),
    val photoAttached: Boolean = false,
    val busy: Boolean = false,
    val confirmation: Confirmation? = null,
    /** "Спасибо, Ваши показания приняты", or that they wait for the network. */
    val done: String? = null,
    val error: String? = null,
    val notice: String? = null
) {
    val canSend: Boolean get() = !loading && !busy && done == null && fields.isNotEmpty() && fields.all { it.text.isNotBlank() }
}

sealed interface ReadingEvent {
    data class Typed(val zone: TariffZone, val text: String) : ReadingEvent

    /** R21: the camera's recognised texts for [zone] and the photo they came from. */
    data class DialRead(val zone: TariffZone, val photoPath: String, val texts: List<RecognisedText>) : ReadingEvent

    data class ChooseProposal(val zone: TariffZone, val index: Int) : ReadingEvent

    data object RemovePhoto : ReadingEvent

    data object Send : ReadingEvent

    data object Confirm : ReadingEvent

    data object CancelConfirmation : ReadingEvent

    data object Close : ReadingEvent
}

/**
 * R10–R12, R21: a reading per zone, typed or chosen from what the dial photo reads; the core's
 * checks, refused with the reason or shown for confirmation with the consumption; then queued,
 * sent, and "Спасибо, Ваши показания приняты".
 */
class ReadingPresenter(
    private val account: String,
    private val meterId: String,
    private val lk: Lk,
    private val wording: Wording,
    private val navigator: Navigator,
    private val scope: CoroutineScope
) : Presenter<ReadingState, ReadingEvent> {
    private val mutable = MutableStateFlow(ReadingState())
    override val state: StateFlow<ReadingState> = mutable
    private var meter: MeterItem? = null
    private var check: ReadingCheck? = null
    private var photoPath: String? = null
    private var proposals: Map<TariffZone, List<java.math.BigDecimal>> = emptyMap()

    /** Values chosen from the photo's proposals and not typed over since: sent exactly as the core proposed them. */
    private val chosen = mutableMapOf<TariffZone, java.math.BigDecimal>()

    init {
        scope.launch { load() }
    }

    override fun onEvent(event: ReadingEvent) {
        when (event) {
            is ReadingEvent.Typed -> {
                chosen.remove(event.zone)
                setText(event.zone, event.text)
            }

            is ReadingEvent.DialRead -> dialRead(event)

            is ReadingEvent.ChooseProposal -> choose(event.zone, event.index)

            ReadingEvent.RemovePhoto -> {
                photoPath = null
                mutable.update { it.copy(photoAttached = false) }
            }

            ReadingEvent.Send -> send()

            ReadingEvent.Confirm -> submit()

            ReadingEvent.CancelConfirmation -> mutable.update { it.copy(confirmation = null) }

            ReadingEvent.Close -> navigator.back()
        }
    }

    private suspend fun load() {
        try {
            val asked = wording.now()
            val cached = lk.readings.meters(account)
            val found = cached.value.meters.firstOrNull { it.id == meterId }
            if (found == null) {
                mutable.update { it.copy(loading = false, error = "Счётчик не найден") }
                return
            }
            meter = found
            val single = found.zones.size == 1
            val previous = found.start.associate { it.zone to it.value }
            mutable.update {
                it.copy(
                    loading = false,
                    title = meterTitle(wording, found),
                    window = window(wording, cached.value),
                    warning = if (found.verification == Verification.EXPIRED) "Срок поверки истёк: показания не принимаются" else null,
                    fields = found.zones.map { zone ->
                        ZoneField(
                            zone = zone,
                            label = if (single) "Показание" else wording.format.zone(zone),
                            previous = previous[zone]?.let { v -> "Было: ${wording.format.number(v)}" }
                        )
                    },
                    notice = wording.freshness(cached, asked)
                )
            }
        } catch (e: LkFailure) {
            mutable.update { it.copy(loading = false, error = wording.failure(e)) }
        }
    }

    private fun setText(zone: TariffZone, text: String) {
        mutable.update { s ->
            s.copy(
                fields = s.fields.map { if (it.zone == zone) it.copy(text = text, error = null) else it },
                refusals = emptyList(),
                error = null
            )
        }
    }

    private fun dialRead(event: ReadingEvent.DialRead) {
        photoPath = event.photoPath
        val found = try {
            lk.readings.recognise(account, meterId, event.zone, event.texts)
        } catch (e: LkFailure) {
            mutable.update { it.copy(photoAttached = true, error = wording.failure(e)) }
            return
        }
        proposals = proposals + (event.zone to found.map { it.value })
        mutable.update { s ->
            s.copy(
                photoAttached = true,
                fields = s.fields.map { field ->
                    if (field.zone != event.zone) return@map field
                    if (found.isEmpty()) {
                        field.copy(proposals = emptyList(), error = "На фото не удалось распознать показание. Введите его вручную")
                    } else {
                        field.copy(proposals = found.map { wording.format.number(it.value) }, error = null)
                    }
                }
            )
        }
    }

    private fun choose(zone: TariffZone, index: Int) {
        val value = proposals[zone]?.getOrNull(index) ?: return
        setText(zone, wording.format.number(value))
        chosen[zone] = value
        mutable.update { s -> s.copy(fields = s.fields.map { if (it.zone == zone) it.copy(proposals = emptyList()) else it }) }
    }

    private fun typed(): Map<TariffZone, String> = mutable.value.fields.associate { field ->
        field.zone to (chosen[field.zone]?.toPlainString() ?: field.text.trim())
    }

    private fun send() {
        if (!mutable.value.canSend) return
        mutable.update { it.copy(busy = true, error = null, refusals = emptyList()) }
        scope.launch {
            try {
                val found = lk.readings.check(account, meterId, typed())
                check = found
                if (found.refused) {
                    showRefusal(found)
                } else {
                    mutable.update { it.copy(busy = false, confirmation = confirmation(found)) }
                }
            } catch (e: LkFailure) {
                mutable.update { it.copy(busy = false, error = wording.failure(e)) }
            }
        }
    }

    private fun showRefusal(found: ReadingCheck) {
        val refusals = found.findings.filter { it.severity == Severity.REFUSE }
        mutable.update { s ->
            s.copy(
                busy = false,
                fields = s.fields.map { field ->
                    val mine = refusals.filter { it.zone == field.zone }
                    field.copy(error = mine.joinToString(". ") { it.message }.ifEmpty { null })
                },
                refusals = refusals.filter { it.zone == null || s.fields.none { f -> f.zone == it.zone } }.map { it.message }
            )
        }
    }

    private fun confirmation(found: ReadingCheck): Confirmation {
        val f = wording.format
        val unit = meter?.unit
        val single = found.zones.size == 1
        val lines = found.zones.map { zone ->
            val name = if (single) "Показание" else f.zone(zone.zone)
            val value = zone.value?.let { f.number(it) } ?: "—"
            val use = zone.consumption?.let { c -> if (unit != null) f.quantity(c, unit) else f.number(c) }
            if (use == null) "$name: $value" else "$name: $value, расход $use"
        }
        val questions = found.findings.filter { it.severity != Severity.REFUSE }.map { it.message }
        val label = if (found.toConfirm.isEmpty()) "Отправить" else "Подтверждаю, отправить"
        return Confirmation(lines, questions, label)
    }

    private fun submit() {
        val confirmed = check ?: return
        mutable.update { it.copy(confirmation = null, busy = true) }
        scope.launch {
            try {
                val values = typed()
                val recognised = chosen.keys.containsAll(values.keys)
                val item = lk.readings.submit(account, meterId, values, confirmed.toConfirm, photoPath, recognised)
                val sent = sendNow(item)
                mutable.update { it.copy(busy = false, done = outcome(sent), error = sent.error?.let(wording::failure)) }
            } catch (e: LkFailure) {
                mutable.update { it.copy(busy = false, error = wording.failure(e)) }
            }
        }
    }

    /** The queued reading goes at once when online; it stays queued (and safe) when not. */
    private suspend fun sendNow(item: OutboxItem): OutboxItem {
        try {
            lk.syncNow()
        } catch (e: LkFailure) {
            return item
        }
        return withTimeoutOrNull(OUTBOX_WAIT_MS) {
            lk.readings.outbox.first { list -> list.any { it.id == item.id && it.state != OutboxState.QUEUED } }
        }?.first { it.id == item.id } ?: item
    }

    private fun outcome(item: OutboxItem): String? = when (item.state) {
        OutboxState.SENT -> "Спасибо, Ваши показания приняты"
        OutboxState.QUEUED -> "Показания сохранены на телефоне и будут отправлены, как только появится связь"
        OutboxState.NEEDS_ACTION -> null
    }

    private companion object {
        const val OUTBOX_WAIT_MS = 5_000L
    }
}
