package ru.vostok.lk.android.features.settings

import java.time.Clock
import java.time.ZoneOffset
import kotlinx.coroutines.CoroutineScope
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import ru.vostok.lk.android.api.ContactChange
import ru.vostok.lk.android.api.LkFailure
import ru.vostok.lk.android.api.Notifications
import ru.vostok.lk.android.api.OutboxKind
import ru.vostok.lk.android.api.OutboxState
import ru.vostok.lk.android.api.Profile
import ru.vostok.lk.android.api.ProfileAccount
import ru.vostok.lk.android.api.Role
import ru.vostok.lk.android.impl.BindingsFormat
import ru.vostok.lk.android.presentation.NotificationPermission
import ru.vostok.lk.android.presentation.Wording
import ru.vostok.lk.android.test.FakeLk
import ru.vostok.lk.android.test.RecordingNavigator
import ru.vostok.lk.android.test.RecordingSharing
import ru.vostok.lk.android.test.Samples
import ru.vostok.lk.android.test.cachedAt
import ru.vostok.lk.android.test.presenterTest

class SettingsPresenterTest {
    private val lk = FakeLk(BindingsFormat)
    private val navigator = RecordingNavigator()
    private val sharing = RecordingSharing()
    private val wording = Wording(BindingsFormat, Clock.fixed(Samples.NOW, ZoneOffset.UTC))
    private val permission = object : NotificationPermission {
        var asked = 0
        override val granted = false

        override fun request() {
            asked++
        }
    }
    private val profile = Profile(
        "demo",
        Role.RESIDENT,
        "+7 912 ***-**-01",
        null,
        "Курган",
        listOf(
            ProfileAccount(Samples.ACCOUNT, "г. Курган, ул. Ленина, д. 1", true),
            ProfileAccount("450001000002", "г. Курган, ул. Мира, д. 2", false)
        ),
        Notifications(readingWindow = false, newDocument = true, paymentResult = true, receiptByEmail = false)
    )

    init {
        lk.settings.profileWith = { profile.cachedAt(Samples.NOW) }
    }

    private fun presenter(scope: CoroutineScope) = SettingsPresenter(lk, wording, navigator, sharing, permission, scope)

    @Test
    fun `R16 R17 the profile with its contacts and accounts, the support contacts from the core`() = presenterTest { scope ->
        val state = presenter(scope).state.value
        assertEquals("+7 912 ***-**-01" to "не указан", state.phone to state.email)
        assertEquals("Лицевой счёт 450001000002, г. Курган, ул. Мира, д. 2 (добавлен из другого профиля)", state.accounts[1].text)
        assertTrue("8 800 250-60-06" in state.support, state.support)
    }

    @Test
    fun `R22 turning a push on explains it first, then asks the system, R18 the receipt copy does not ask`() = presenterTest { scope ->
        val sent = mutableListOf<Notifications>()
        lk.settings.notificationsWith = {
            sent.add(it)
            Samples.item(3, OutboxState.QUEUED).copy(kind = OutboxKind.NOTIFICATIONS)
        }
        val presenter = presenter(scope)
        presenter.onEvent(SettingsEvent.Switch(Toggle.RECEIPT_BY_EMAIL, true))
        assertNull(presenter.state.value.permissionRationale)
        presenter.onEvent(SettingsEvent.Switch(Toggle.READING_WINDOW, true))
        assertTrue(presenter.state.value.permissionRationale!!.startsWith("Разрешите уведомления"))
        assertEquals(0, permission.asked)
        presenter.onEvent(SettingsEvent.AllowNotifications)
        assertEquals(1, permission.asked)
        assertEquals(Notifications(readingWindow = true, newDocument = true, paymentResult = true, receiptByEmail = true), sent.last())
        assertEquals("Настройки сохранены и будут отправлены, как только появится связь", presenter.state.value.message)
    }

    @Test
    fun `R16 a wrong current password keeps the dialog with the core's reason`() = presenterTest { scope ->
        lk.settings.passwordWith = { _, _, _ -> throw LkFailure("wrong_password", "Текущий пароль указан неверно", "old_password") }
        val presenter = presenter(scope)
        presenter.onEvent(SettingsEvent.Open(SettingsDialog.Password()))
        presenter.onEvent(SettingsEvent.Edit(SettingsDialog.Password("x", "New-2026x", "New-2026x")))
        presenter.onEvent(SettingsEvent.Submit)
        assertEquals("Текущий пароль указан неверно", presenter.state.value.dialog?.error)
    }

    @Test
    fun `R17 a new phone takes the code sent to it`() = presenterTest { scope ->
        lk.settings.phoneWith = { ContactChange("c1", "+7 912 ***-**-99") }
        lk.settings.confirmPhoneWith = { id, code ->
            assertEquals("c1" to "123456", id to code)
            profile.copy(phone = "+7 912 ***-**-99")
        }
        val presenter = presenter(scope)
        presenter.onEvent(SettingsEvent.Open(SettingsDialog.Phone()))
        presenter.onEvent(SettingsEvent.Edit(SettingsDialog.Phone("+79120000099")))
        presenter.onEvent(SettingsEvent.Submit)
        val asked = presenter.state.value.dialog as SettingsDialog.Phone
        assertEquals("Код отправлен на +7 912 ***-**-99", asked.codeSentTo)
        presenter.onEvent(SettingsEvent.Edit(asked.copy(code = "123456")))
        presenter.onEvent(SettingsEvent.Submit)
        assertEquals("Телефон изменён", presenter.state.value.message)
        assertEquals("+7 912 ***-**-99", presenter.state.value.phone)
    }

    @Test
    fun `R20 the paper-refusal form is opened as the core filled it in`() = presenterTest { scope ->
        presenter(scope).onEvent(SettingsEvent.PaperRefusal(Samples.ACCOUNT))
        assertEquals("paper-refusal-450001000001.pdf", sharing.opened.single().first)
    }

    @Test
    fun `R1 signing out with unsent readings asks in the core's words, keeps them if told, and starts over at sign-in`() =
        presenterTest { scope ->
            lk.session.signedIn.value = true
            lk.session.unsentCount = 2
            val presenter = presenter(scope)
            presenter.onEvent(SettingsEvent.SignOut)
            val question = (presenter.state.value.dialog as SettingsDialog.SignOut).question
            assertEquals(BindingsFormat.signOutWarning(2), question)
            assertTrue(question.startsWith("2 записи"), question)
            presenter.onEvent(SettingsEvent.SignOutConfirmed(keepUnsent = true))
            assertEquals(listOf("restart SignIn"), navigator.moves)
        }

    @Test
    fun `R1 with nothing unsent, sign-out asks nothing`() = presenterTest { scope ->
        presenter(scope).onEvent(SettingsEvent.SignOut)
        assertEquals(listOf("restart SignIn"), navigator.moves)
    }
}
