package ru.vostok.lk.android.features.registration

import java.time.Clock
import java.time.ZoneOffset
import kotlinx.coroutines.CoroutineScope
import org.junit.jupiter.api.Assertions.assertArrayEquals
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import ru.vostok.lk.android.api.AccountPreview
import ru.vostok.lk.android.api.CaptchaAnswer
import ru.vostok.lk.android.api.Channel
import ru.vostok.lk.android.api.LkFailure
import ru.vostok.lk.android.api.RegistrationForm
import ru.vostok.lk.android.api.RegistrationStatus
import ru.vostok.lk.android.api.RegistrationStep
import ru.vostok.lk.android.impl.BindingsFormat
import ru.vostok.lk.android.presentation.Wording
import ru.vostok.lk.android.test.FakeLk
import ru.vostok.lk.android.test.RecordingNavigator
import ru.vostok.lk.android.test.Samples
import ru.vostok.lk.android.test.presenterTest

class RegistrationPresenterTest {
    private val lk = FakeLk(BindingsFormat)
    private val navigator = RecordingNavigator()
    private val wording = Wording(BindingsFormat, Clock.fixed(Samples.NOW, ZoneOffset.UTC))
    private val preview = AccountPreview(Samples.ACCOUNT, "г. Курган, ул. Ленина, д. 1, кв. 1", "Иванов И. И.")
    private val fields = FormFields("ivanov2026", "Ivanov-2026", Channel.PHONE, "+79120000555", "Курган", "4821", consent = true)

    private fun step(status: RegistrationStatus, channel: Channel = Channel.PHONE) = RegistrationStep(
        "r1",
        status,
        "ivanov2026",
        channel,
        "+7 912 ***-**-55",
        preview.takeIf {
            status !=
                RegistrationStatus.AWAITING_ACCOUNT
        },
        null
    )

    private fun presenter(scope: CoroutineScope) = RegistrationPresenter(lk, wording, navigator, scope)

    @Test
    fun `R2 the form offers the cities by region, a CAPTCHA and the consent's text, nothing proceeds without consent`() =
        presenterTest { scope ->
            val presenter = presenter(scope)
            val state = presenter.state.value
            assertEquals(lk.identity.consentAnswer.text, state.consentText)
            assertEquals("Шаг 1 из 4: данные для входа", state.stepTitle)
            assertEquals(listOf("Курган", "Шадринск"), state.cities.single().cities)
            assertArrayEquals(byteArrayOf(0x89.toByte(), 0x50, 0x4E, 0x47), state.captchaPng)
            presenter.onEvent(RegistrationEvent.Form(fields.copy(consent = false)))
            assertFalse(presenter.state.value.canContinue)
            presenter.onEvent(RegistrationEvent.Form(fields.copy(channel = Channel.EMAIL)))
            assertEquals("E-mail", presenter.state.value.contactLabel)
            assertTrue(presenter.state.value.canContinue)
        }

    @Test
    fun `R2 R3 R4 every step in order - form, account with its proof, address confirmed, SMS code, signed in`() = presenterTest { scope ->
        val calls = mutableListOf<String>()
        lk.identity.start = { form: RegistrationForm, captcha: CaptchaAnswer, version: String ->
            calls.add("start ${form.login} ${captcha.id}=${captcha.answer} consent $version")
            step(RegistrationStatus.AWAITING_ACCOUNT)
        }
        lk.identity.bind = { id, number, proof ->
            calls.add("bind $id $number $proof")
            step(RegistrationStatus.AWAITING_ACCOUNT_CONFIRMATION)
        }
        lk.identity.confirm = { id ->
            calls.add("confirm $id")
            step(RegistrationStatus.AWAITING_CODE)
        }
        lk.identity.code = { id, code ->
            calls.add("code $id $code")
            step(RegistrationStatus.COMPLETED)
        }
        val presenter = presenter(scope)
        presenter.onEvent(RegistrationEvent.Form(fields))
        presenter.onEvent(RegistrationEvent.Continue)
        assertEquals(Step.ACCOUNT, presenter.state.value.step)
        presenter.onEvent(RegistrationEvent.AccountNumber(Samples.ACCOUNT))
        presenter.onEvent(RegistrationEvent.Proof("1 340,15"))
        presenter.onEvent(RegistrationEvent.Continue)
        val confirm = presenter.state.value
        assertEquals(Step.CONFIRM_ACCOUNT, confirm.step)
        assertEquals("Шаг 3 из 4: проверьте адрес", confirm.stepTitle)
        assertEquals("г. Курган, ул. Ленина, д. 1, кв. 1" to "Иванов И. И.", confirm.accountAddress to confirm.accountOwner)
        presenter.onEvent(RegistrationEvent.Continue)
        assertEquals("Код отправлен на +7 912 ***-**-55", presenter.state.value.codeSentTo)
        presenter.onEvent(RegistrationEvent.Code("123456"))
        presenter.onEvent(RegistrationEvent.Continue)
        assertEquals(Step.DONE, presenter.state.value.step)
        presenter.onEvent(RegistrationEvent.Continue)
        assertEquals(
            listOf("start ivanov2026 captcha-1=4821 consent test-1", "bind r1 450001000001 1 340,15", "confirm r1", "code r1 123456"),
            calls
        )
        assertEquals(listOf("restart Accounts"), navigator.moves)
    }

    @Test
    fun `a wrong CAPTCHA is said under the picture, and a new picture comes`() = presenterTest { scope ->
        lk.identity.start = { _, _, _ -> throw LkFailure("captcha_wrong", "Код с картинки введён неверно, попробуйте новый", "captcha") }
        val presenter = presenter(scope)
        presenter.onEvent(RegistrationEvent.Form(fields))
        presenter.onEvent(RegistrationEvent.Continue)
        val state = presenter.state.value
        assertEquals(mapOf("captcha" to "Код с картинки введён неверно, попробуйте новый"), state.fieldErrors)
        assertEquals(2, lk.identity.captchas)
        assertEquals("", state.form.captchaAnswer)
    }

    @Test
    fun `R3 an account whose amount does not match says so under the amount`() = presenterTest { scope ->
        lk.identity.start = { _, _, _ -> step(RegistrationStatus.AWAITING_ACCOUNT) }
        lk.identity.bind =
            { _, _, _ ->
                throw LkFailure("account_not_matched", "Лицевой счёт и сумма последнего начисления не совпадают", "latest_document_total")
            }
        val presenter = presenter(scope)
        presenter.onEvent(RegistrationEvent.Form(fields))
        presenter.onEvent(RegistrationEvent.Continue)
        presenter.onEvent(RegistrationEvent.AccountNumber(Samples.ACCOUNT))
        presenter.onEvent(RegistrationEvent.Proof("1.00"))
        presenter.onEvent(RegistrationEvent.Continue)
        assertEquals(mapOf("proof" to "Лицевой счёт и сумма последнего начисления не совпадают"), presenter.state.value.fieldErrors)
        assertEquals(Step.ACCOUNT, presenter.state.value.step)
    }

    @Test
    fun `R3 from the address the person goes back to the account number, or to the form, which changes the same registration`() =
        presenterTest { scope ->
            lk.identity.start = { _, _, _ -> step(RegistrationStatus.AWAITING_ACCOUNT) }
            lk.identity.bind = { _, _, _ -> step(RegistrationStatus.AWAITING_ACCOUNT_CONFIRMATION) }
            var changed: RegistrationForm? = null
            lk.identity.change = { _, form ->
                changed = form
                step(RegistrationStatus.AWAITING_ACCOUNT)
            }
            val presenter = presenter(scope)
            presenter.onEvent(RegistrationEvent.Form(fields))
            presenter.onEvent(RegistrationEvent.Continue)
            presenter.onEvent(RegistrationEvent.AccountNumber(Samples.ACCOUNT))
            presenter.onEvent(RegistrationEvent.Proof("1340.15"))
            presenter.onEvent(RegistrationEvent.Continue)
            presenter.onEvent(RegistrationEvent.ChangeAccount)
            assertEquals(Step.ACCOUNT, presenter.state.value.step)
            presenter.onEvent(RegistrationEvent.ChangeDetails)
            assertEquals(Step.FORM, presenter.state.value.step)
            presenter.onEvent(RegistrationEvent.Form(fields.copy(city = "Шадринск", captchaAnswer = "1")))
            presenter.onEvent(RegistrationEvent.Continue)
            assertEquals("Шадринск", changed?.city)
            assertEquals(Step.ACCOUNT, presenter.state.value.step)
        }

    @Test
    fun `R4 by e-mail the last step waits for the link and asks where the registration stands`() = presenterTest { scope ->
        lk.identity.start = { _, _, _ -> step(RegistrationStatus.AWAITING_ACCOUNT, Channel.EMAIL) }
        lk.identity.bind = { _, _, _ -> step(RegistrationStatus.AWAITING_ACCOUNT_CONFIRMATION, Channel.EMAIL) }
        lk.identity.confirm = { step(RegistrationStatus.AWAITING_CODE, Channel.EMAIL) }
        var asked = 0
        lk.identity.status = {
            asked++
            if (asked ==
                1
            ) {
                throw LkFailure("use_link", "Перейдите по ссылке из письма")
            } else {
                step(RegistrationStatus.COMPLETED, Channel.EMAIL)
            }
        }
        val presenter = presenter(scope)
        presenter.onEvent(RegistrationEvent.Form(fields.copy(channel = Channel.EMAIL, contact = "ivanov@example.ru")))
        presenter.onEvent(RegistrationEvent.Continue)
        presenter.onEvent(RegistrationEvent.AccountNumber(Samples.ACCOUNT))
        presenter.onEvent(RegistrationEvent.Proof("1340.15"))
        presenter.onEvent(RegistrationEvent.Continue)
        presenter.onEvent(RegistrationEvent.Continue)
        val waiting = presenter.state.value
        assertTrue(waiting.byLink)
        assertEquals("Мы отправили ссылку на +7 912 ***-**-55. Перейдите по ней, затем нажмите «Проверить»", waiting.codeSentTo)
        presenter.onEvent(RegistrationEvent.Continue)
        assertEquals("Перейдите по ссылке из письма", presenter.state.value.error)
        presenter.onEvent(RegistrationEvent.Continue)
        assertEquals(Step.DONE, presenter.state.value.step)
        assertNull(presenter.state.value.error)
    }
}
