package ru.vostok.lk.android.features.settings

import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch
import ru.vostok.lk.android.api.Lk
import ru.vostok.lk.android.api.LkFailure
import ru.vostok.lk.android.api.Notifications
import ru.vostok.lk.android.api.OutboxState
import ru.vostok.lk.android.api.Profile
import ru.vostok.lk.android.presentation.Destination
import ru.vostok.lk.android.presentation.DocumentSharing
import ru.vostok.lk.android.presentation.Navigator
import ru.vostok.lk.android.presentation.NotificationPermission
import ru.vostok.lk.android.presentation.Presenter
import ru.vostok.lk.android.presentation.Wording

/** A switch of the notifications section (R18, R22). */
enum class Toggle { READING_WINDOW, NEW_DOCUMENT, PAYMENT_RESULT, RECEIPT_BY_EMAIL }

data class ToggleRow(val toggle: Toggle, val label: String, val on: Boolean)

data class AccountLine(val number: String, val text: String)

/** The dialog open on the settings screen, if any. */
sealed interface SettingsDialog {
    val busy: Boolean
    val error: String?

    data class Password(
        val old: String = "",
        val new: String = "",
        val repeat: String = "",
        override val busy: Boolean = false,
        override val error: String? = null
    ) : SettingsDialog

    data class Phone(
        val phone: String = "",
        val code: String = "",
        val codeSentTo: String? = null,
        override val busy: Boolean = false,
        override val error: String? = null
    ) : SettingsDialog

    data class Email(
        val email: String = "",
        val sentTo: String? = null,
        override val busy: Boolean = false,
        override val error: String? = null
    ) : SettingsDialog

    data class LinkAccount(
        val login: String = "",
        val password: String = "",
        override val busy: Boolean = false,
        override val error: String? = null
    ) : SettingsDialog

    /** The sign-out question in the core's words, when actions wait unsent. */
    data class SignOut(val question: String, override val busy: Boolean = false, override val error: String? = null) : SettingsDialog
}

data class SettingsState(
    val loading: Boolean = true,
    val login: String = "",
    val phone: String = "",
    val email: String = "",
    val accounts: List<AccountLine> = emptyList(),
    val toggles: List<ToggleRow> = emptyList(),
    val dialog: SettingsDialog? = null,
    /** Why the app asks for notifications, shown before the system's question (R22). */
    val permissionRationale: String? = null,
    val support: String = "",
    val notice: String? = null,
    val message: String? = null,
    val error: String? = null
)

sealed interface SettingsEvent {
    data class Switch(val toggle: Toggle, val on: Boolean) : SettingsEvent

    data object AllowNotifications : SettingsEvent

    data object NotNow : SettingsEvent

    data class Open(val dialog: SettingsDialog) : SettingsEvent

    /** The open dialog with what the person typed. */
    data class Edit(val dialog: SettingsDialog) : SettingsEvent

    data object Submit : SettingsEvent

    data object CloseDialog : SettingsEvent

    data class PaperRefusal(val account: String) : SettingsEvent

    data object SignOut : SettingsEvent

    /** The answer to the sign-out question: keep the unsent actions for the next sign-in, or discard them. */
    data class SignOutConfirmed(val keepUnsent: Boolean) : SettingsEvent

    data object DismissMessage : SettingsEvent
}

/** R16–R20, R22 and sign-out (R1): the profile, the password, phone and e-mail, notifications, accounts, the paper-refusal form. */
class SettingsPresenter(
    private val lk: Lk,
    private val wording: Wording,
    private val navigator: Navigator,
    private val sharing: DocumentSharing,
    private val permission: NotificationPermission,
    private val scope: CoroutineScope
) : Presenter<SettingsState, SettingsEvent> {
    private val mutable = MutableStateFlow(SettingsState(support = wording.format.supportContacts()))
    override val state: StateFlow<SettingsState> = mutable
    private var notifications = Notifications(readingWindow = false, newDocument = false, paymentResult = false, receiptByEmail = false)
    private var phoneChange: String? = null

    init {
        scope.launch {
            try {
                val asked = wording.now()
                val cached = lk.settings.profile()
                show(cached.value)
                mutable.update { it.copy(loading = false, notice = wording.freshness(cached, asked)) }
            } catch (e: LkFailure) {
                mutable.update { it.copy(loading = false, error = wording.failure(e)) }
            }
        }
    }

    override fun onEvent(event: SettingsEvent) {
        when (event) {
            is SettingsEvent.Switch -> switch(event.toggle, event.on)

            SettingsEvent.AllowNotifications -> {
                mutable.update { it.copy(permissionRationale = null) }
                permission.request()
            }

            SettingsEvent.NotNow -> mutable.update { it.copy(permissionRationale = null) }

            is SettingsEvent.Open -> mutable.update { it.copy(dialog = event.dialog) }

            is SettingsEvent.Edit -> mutable.update { it.copy(dialog = event.dialog) }

            SettingsEvent.Submit -> submit()

            SettingsEvent.CloseDialog -> mutable.update { it.copy(dialog = null) }

            is SettingsEvent.PaperRefusal -> paperRefusal(event.account)

            SettingsEvent.SignOut -> signOut()

            is SettingsEvent.SignOutConfirmed -> finishSignOut(event.keepUnsent)

            SettingsEvent.DismissMessage -> mutable.update { it.copy(message = null) }
        }
    }

    private fun show(profile: Profile) {
        notifications = profile.notifications
        mutable.update {
            it.copy(
                login = profile.login,
                phone = profile.phone ?: "не указан",
                email = profile.email ?: "не указан",
                accounts = profile.accounts.map { a ->
                    AccountLine(a.number, "Лицевой счёт ${a.number}, ${a.address}" + if (a.own) "" else " (добавлен из другого профиля)")
                },
                toggles = toggles(profile.notifications)
            )
        }
    }

    private fun toggles(n: Notifications) = listOf(
        ToggleRow(Toggle.READING_WINDOW, "Начало и окончание приёма показаний", n.readingWindow),
        ToggleRow(Toggle.NEW_DOCUMENT, "Новый платёжный документ", n.newDocument),
        ToggleRow(Toggle.PAYMENT_RESULT, "Результат оплаты", n.paymentResult),
        ToggleRow(Toggle.RECEIPT_BY_EMAIL, "Копия чека на e-mail", n.receiptByEmail)
    )

    private fun switch(toggle: Toggle, on: Boolean) {
        val changed = when (toggle) {
            Toggle.READING_WINDOW -> notifications.copy(readingWindow = on)
            Toggle.NEW_DOCUMENT -> notifications.copy(newDocument = on)
            Toggle.PAYMENT_RESULT -> notifications.copy(paymentResult = on)
            Toggle.RECEIPT_BY_EMAIL -> notifications.copy(receiptByEmail = on)
        }
        notifications = changed
        val push = toggle != Toggle.RECEIPT_BY_EMAIL
        mutable.update {
            it.copy(
                toggles = toggles(changed),
                // Asked when the person turns a push on: the moment explains why.
                permissionRationale = if (on && push && !permission.granted) RATIONALE else it.permissionRationale
            )
        }
        scope.launch {
            try {
                val item = lk.settings.setNotifications(changed)
                if (item.state ==
                    OutboxState.QUEUED
                ) {
                    mutable.update { it.copy(message = "Настройки сохранены и будут отправлены, как только появится связь") }
                }
            } catch (e: LkFailure) {
                mutable.update { it.copy(error = wording.failure(e)) }
            }
        }
    }

    private fun submit() {
        val dialog = mutable.value.dialog ?: return
        busy(true, null)
        scope.launch {
            try {
                when (dialog) {
                    is SettingsDialog.Password -> {
                        lk.settings.changePassword(dialog.old, dialog.new, dialog.repeat)
                        close("Пароль изменён")
                    }

                    is SettingsDialog.Phone -> {
                        val started = phoneChange
                        if (dialog.codeSentTo == null || started == null) {
                            val change = lk.settings.changePhone(dialog.phone.trim())
                            phoneChange = change.id
                            mutable.update { it.copy(dialog = dialog.copy(codeSentTo = "Код отправлен на ${change.sentTo}", busy = false)) }
                        } else {
                            show(lk.settings.confirmPhone(started, dialog.code.trim()))
                            phoneChange = null
                            close("Телефон изменён")
                        }
                    }

                    is SettingsDialog.Email -> {
                        val change = lk.settings.changeEmail(dialog.email.trim())
                        mutable.update {
                            it.copy(dialog = dialog.copy(sentTo = "Ссылка для подтверждения отправлена на ${change.sentTo}", busy = false))
                        }
                    }

                    is SettingsDialog.LinkAccount -> {
                        show(lk.settings.linkAccount(dialog.login.trim(), dialog.password))
                        lk.accounts.refresh()
                        close("Лицевой счёт добавлен")
                    }

                    is SettingsDialog.SignOut -> Unit
                }
            } catch (e: LkFailure) {
                busy(false, wording.failure(e))
            }
        }
    }

    private fun busy(busy: Boolean, error: String?) = mutable.update { s ->
        val d = when (val dialog = s.dialog) {
            is SettingsDialog.Password -> dialog.copy(busy = busy, error = error)
            is SettingsDialog.Phone -> dialog.copy(busy = busy, error = error)
            is SettingsDialog.Email -> dialog.copy(busy = busy, error = error)
            is SettingsDialog.LinkAccount -> dialog.copy(busy = busy, error = error)
            is SettingsDialog.SignOut -> dialog.copy(busy = busy, error = error)
            null -> null
        }
        s.copy(dialog = d)
    }

    private fun close(message: String) = mutable.update { it.copy(dialog = null, message = message) }

    private fun paperRefusal(account: String) {
        scope.launch {
            try {
                sharing.open(lk.settings.paperRefusalPdf(account), "paper-refusal-$account.pdf")
            } catch (e: LkFailure) {
                mutable.update { it.copy(error = wording.failure(e)) }
            }
        }
    }

    private fun signOut() {
        val unsent = lk.session.unsent()
        val question = wording.format.signOutWarning(unsent)
        if (question == null) {
            finishSignOut(keepUnsent = false)
        } else {
            mutable.update { it.copy(dialog = SettingsDialog.SignOut(question)) }
        }
    }

    private fun finishSignOut(keepUnsent: Boolean) {
        busy(true, null)
        scope.launch {
            try {
                lk.session.signOut(keepUnsent)
                navigator.restart(Destination.SignIn)
            } catch (e: LkFailure) {
                busy(false, wording.failure(e))
            }
        }
    }

    private companion object {
        const val RATIONALE =
            "Разрешите уведомления, чтобы узнавать о начале приёма показаний, новых платёжных документах и результатах оплаты"
    }
}
