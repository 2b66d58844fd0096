package ru.vostok.lk.android.features.registration

import java.time.Clock
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import ru.vostok.lk.android.api.Captcha
import ru.vostok.lk.android.api.Channel
import ru.vostok.lk.android.api.Lk
import ru.vostok.lk.android.api.LkConfig
import ru.vostok.lk.android.api.LkIdentity
import ru.vostok.lk.android.impl.BindingsFormat
import ru.vostok.lk.android.impl.BindingsLk
import ru.vostok.lk.android.presentation.Wording
import ru.vostok.lk.android.test.DemoService
import ru.vostok.lk.android.test.MemorySecretStore
import ru.vostok.lk.android.test.RecordingNavigator
import ru.vostok.lk.android.test.await
import ru.vostok.lk.android.test.presenterTest
import ru.vostok.lk.android.test.scratch

/** The registration wizard over the real core and the real service: CAPTCHA, proof, SMS code (R2–R4). */
class RegistrationIntegrationTest {
    private val demo = DemoService.shared
    private val device = BindingsLk.open(LkConfig(demo.url, scratch("registration").path, 10), MemorySecretStore()) { _, _ -> }

    /** The id of the picture on screen, which the person reads and the demo answers for. */
    @Volatile private var captchaId = ""

    private val lk: Lk = object : Lk by device {
        override val identity: LkIdentity = object : LkIdentity by device.identity {
            override suspend fun captcha(): Captcha = device.identity.captcha().also { captchaId = it.id }
        }
    }
    private val navigator = RecordingNavigator()
    private val wording = Wording(BindingsFormat, Clock.systemUTC())

    @Test
    fun `R2 R3 R4 a resident registers by phone, each refusal in the core's Russian on the way, and is signed in`() =
        presenterTest { scope ->
            val presenter = RegistrationPresenter(lk, wording, navigator, scope)
            val first = presenter.state.await { it.captchaPng != null && it.cities.isNotEmpty() }
            assertTrue(first.cities.flatMap { it.cities }.contains("Курган"))
            // The core's consent, the one the service records with its version.
            assertTrue(first.consentText.contains("персональных данных"), first.consentText)
            val phone = "+79120000777"
            val form = FormFields("android2026", "Android-2026", Channel.PHONE, phone, "Курган", "0", consent = true)

            presenter.onEvent(RegistrationEvent.Form(form))
            presenter.onEvent(RegistrationEvent.Continue)
            val wrongCaptcha = presenter.state.await { !it.busy && it.fieldErrors.isNotEmpty() }
            assertEquals("Код с картинки введён неверно, попробуйте новый", wrongCaptcha.fieldErrors["captcha"])

            // The new picture, read as the person reads it.
            presenter.state.await { it.captchaPng != null && it.form.captchaAnswer.isEmpty() && it.captchaPng !== first.captchaPng }
            presenter.onEvent(RegistrationEvent.Form(form.copy(captchaAnswer = demo.captchaAnswer(captchaId))))
            presenter.onEvent(RegistrationEvent.Continue)
            presenter.state.await { it.step == Step.ACCOUNT }

            val (number, proof) = demo.freeAccounts().first()
            presenter.onEvent(RegistrationEvent.AccountNumber(number))
            presenter.onEvent(RegistrationEvent.Proof("1.00"))
            presenter.onEvent(RegistrationEvent.Continue)
            val mismatch = presenter.state.await { !it.busy && (it.fieldErrors.isNotEmpty() || it.error != null) }
            val notFound = "Лицевой счёт с такой суммой последнего платёжного документа не найден. " +
                "Проверьте номер счёта и сумму «Итого к оплате»"
            assertEquals(mapOf("account" to notFound), mismatch.fieldErrors)
            presenter.onEvent(RegistrationEvent.Proof(proof))
            presenter.onEvent(RegistrationEvent.Continue)
            val address = presenter.state.await { it.step == Step.CONFIRM_ACCOUNT }
            assertTrue(address.accountOwner!!.contains('*'), "the owner's name is masked: ${address.accountOwner}")

            presenter.onEvent(RegistrationEvent.Continue)
            presenter.state.await { it.step == Step.CODE }
            presenter.onEvent(RegistrationEvent.Code("000000"))
            presenter.onEvent(RegistrationEvent.Continue)
            val wrongCode = presenter.state.await { !it.busy && it.fieldErrors.isNotEmpty() }
            assertEquals("Неверный код", wrongCode.fieldErrors["code"])

            presenter.onEvent(RegistrationEvent.Code(demo.codeSentTo(phone)))
            presenter.onEvent(RegistrationEvent.Continue)
            presenter.state.await { it.step == Step.DONE }
            presenter.onEvent(RegistrationEvent.Continue)
            assertEquals(listOf("restart Accounts"), navigator.await())
            assertEquals(number, lk.accounts.refresh().single().number)
        }
}
