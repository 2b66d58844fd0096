package ru.vostok.lk.android.features.recovery

import java.time.Clock
import java.time.ZoneOffset
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import ru.vostok.lk.android.api.Channel
import ru.vostok.lk.android.api.LkFailure
import ru.vostok.lk.android.api.RecoveryStarted
import ru.vostok.lk.android.impl.BindingsFormat
import ru.vostok.lk.android.presentation.Wording
import ru.vostok.lk.android.test.FakeLk
import ru.vostok.lk.android.test.RecordingNavigator
import ru.vostok.lk.android.test.Samples
import ru.vostok.lk.android.test.await
import ru.vostok.lk.android.test.presenterTest

class RecoveryPresenterTest {
    private val lk = FakeLk(BindingsFormat)
    private val navigator = RecordingNavigator()
    private val wording = Wording(BindingsFormat, Clock.fixed(Samples.NOW, ZoneOffset.UTC))
    private val calls = mutableListOf<String>()

    init {
        lk.identity.recoveryStart = { channel, contact, captcha ->
            calls.add("start $channel $contact ${captcha.id}=${captcha.answer}")
            RecoveryStarted("rec-1", channel)
        }
        lk.identity.recoveryPassword = { id, login, password, repeat -> calls.add("password $id $login $password $repeat") }
    }

    private fun RecoveryPresenter.enter(vararg events: RecoveryEvent) = events.forEach(::onEvent)

    @Test
    fun `R5 by phone - the code, the one login of the contact shown, the new password twice, then sign-in again`() =
        presenterTest { scope ->
            lk.identity.recoveryCode = { id, code ->
                calls.add("code $id $code")
                listOf("demo")
            }
            val presenter = RecoveryPresenter(lk, wording, navigator, scope)
            assertEquals("Телефон, указанный в профиле", presenter.state.value.contactLabel)
            presenter.onEvent(RecoveryEvent.Contact(" +79120000555 "))
            presenter.onEvent(RecoveryEvent.CaptchaTyped("4821"))
            presenter.onEvent(RecoveryEvent.Continue)
            val code = presenter.state.await { it.step == RecoveryStep.CODE && !it.busy }
            assertEquals("Мы отправили код в SMS, если этот телефон указан в профиле", code.codeHint)

            presenter.onEvent(RecoveryEvent.Code("123456"))
            presenter.onEvent(RecoveryEvent.Continue)
            val password = presenter.state.await { it.step == RecoveryStep.PASSWORD && !it.busy }
            assertEquals("Ваш логин: demo", password.loginText)

            presenter.onEvent(RecoveryEvent.Password("Demo-2027"))
            presenter.onEvent(RecoveryEvent.Repeat("Demo-2027"))
            presenter.onEvent(RecoveryEvent.Continue)
            val done = presenter.state.await { it.step == RecoveryStep.DONE && !it.busy }
            assertEquals("Пароль изменён. Войдите с новым паролем", done.done)
            assertEquals(
                listOf("start PHONE +79120000555 captcha-1=4821", "code rec-1 123456", "password rec-1 demo Demo-2027 Demo-2027"),
                calls
            )
            presenter.onEvent(RecoveryEvent.Continue)
            assertEquals(listOf("restart SignIn"), navigator.moves)
        }

    @Test
    fun `R5 by e-mail with several logins on the contact, the person picks one before the password`() = presenterTest { scope ->
        lk.identity.recoveryCode = { _, _ -> listOf("ivanov", "ivanov-dacha") }
        val presenter = RecoveryPresenter(lk, wording, navigator, scope)
        presenter.onEvent(RecoveryEvent.ChannelChosen(Channel.EMAIL))
        assertEquals("E-mail, указанный в профиле", presenter.state.value.contactLabel)
        presenter.onEvent(RecoveryEvent.Contact("ivanov@example.ru"))
        presenter.onEvent(RecoveryEvent.CaptchaTyped("4821"))
        presenter.onEvent(RecoveryEvent.Continue)
        assertEquals(
            "Мы отправили код на e-mail, если он указан в профиле",
            presenter.state.await { it.step == RecoveryStep.CODE }.codeHint
        )
        presenter.onEvent(RecoveryEvent.Code("654321"))
        presenter.onEvent(RecoveryEvent.Continue)
        val choice = presenter.state.await { it.step == RecoveryStep.LOGIN && !it.busy }
        assertEquals(listOf("ivanov", "ivanov-dacha"), choice.logins)
        assertEquals("К этому контакту привязано несколько логинов. Выберите свой", choice.loginText)

        presenter.onEvent(RecoveryEvent.Continue)
        assertEquals(RecoveryStep.LOGIN, presenter.state.value.step, "no login chosen, no next step")
        presenter.onEvent(RecoveryEvent.LoginChosen("ivanov-dacha"))
        assertEquals("Ваш логин: ivanov-dacha", presenter.state.value.loginText)
        presenter.onEvent(RecoveryEvent.Continue)
        assertEquals(RecoveryStep.PASSWORD, presenter.state.value.step)
        presenter.onEvent(RecoveryEvent.Password("Dacha-2027"))
        presenter.onEvent(RecoveryEvent.Repeat("Dacha-2027"))
        presenter.onEvent(RecoveryEvent.Continue)
        presenter.state.await { it.step == RecoveryStep.DONE }
        assertEquals("start EMAIL ivanov@example.ru captcha-1=4821", calls.first())
        assertEquals("password rec-1 ivanov-dacha Dacha-2027 Dacha-2027", calls.last())
    }

    @Test
    fun `a wrong CAPTCHA is said under the picture and a new picture comes, the contact kept`() = presenterTest { scope ->
        lk.identity.recoveryStart =
            { _, _, _ -> throw LkFailure("captcha_wrong", "Код с картинки введён неверно, попробуйте новый", "captcha") }
        val presenter = RecoveryPresenter(lk, wording, navigator, scope)
        presenter.enter(RecoveryEvent.Contact("+79120000555"), RecoveryEvent.CaptchaTyped("0000"), RecoveryEvent.Continue)
        val refused = presenter.state.await { !it.busy && it.fieldErrors.isNotEmpty() }
        assertEquals(mapOf("captcha" to "Код с картинки введён неверно, попробуйте новый"), refused.fieldErrors)
        assertEquals(RecoveryStep.CONTACT, refused.step)
        assertEquals("+79120000555", refused.contact)
        assertEquals("", refused.captchaAnswer, "the new picture is typed afresh")
        assertEquals(2, lk.identity.captchas)
        assertNull(refused.error)
    }

    @Test
    fun `a refusal of the new password goes under its field, one naming no field above the form`() = presenterTest { scope ->
        lk.identity.recoveryCode = { _, _ -> listOf("demo") }
        val presenter = RecoveryPresenter(lk, wording, navigator, scope)
        presenter.enter(RecoveryEvent.CaptchaTyped("4821"), RecoveryEvent.Continue, RecoveryEvent.Code("123456"), RecoveryEvent.Continue)
        presenter.state.await { it.step == RecoveryStep.PASSWORD }

        lk.identity.recoveryPassword = { _, _, _, _ -> throw LkFailure("invalid_input", "Пароли не совпадают", "repeat") }
        presenter.enter(RecoveryEvent.Password("Demo-2027"), RecoveryEvent.Repeat("Demo-2028"), RecoveryEvent.Continue)
        val differ = presenter.state.await { !it.busy && it.fieldErrors.isNotEmpty() }
        assertEquals(mapOf("repeat" to "Пароли не совпадают"), differ.fieldErrors)
        assertEquals(RecoveryStep.PASSWORD, differ.step)

        lk.identity.recoveryPassword = { _, _, _, _ -> throw LkFailure("offline", "Нет связи с сервером. Проверьте интернет") }
        presenter.onEvent(RecoveryEvent.Repeat("Demo-2027"))
        assertTrue(presenter.state.value.fieldErrors.isEmpty(), "typing again clears the field's error")
        presenter.onEvent(RecoveryEvent.Continue)
        val offline = presenter.state.await { !it.busy && it.error != null }
        assertEquals("Нет связи с сервером. Проверьте интернет", offline.error)
        assertEquals("Demo-2027", offline.password, "nothing typed is lost")
    }
}
