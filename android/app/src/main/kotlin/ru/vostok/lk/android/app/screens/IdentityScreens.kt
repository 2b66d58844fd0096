package ru.vostok.lk.android.app.screens

import android.graphics.BitmapFactory
import androidx.compose.foundation.Image
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.height
import androidx.compose.foundation.selection.toggleable
import androidx.compose.material3.Button
import androidx.compose.material3.Checkbox
import androidx.compose.material3.FilterChip
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.runtime.remember
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.graphics.asImageBitmap
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.semantics.Role
import androidx.compose.ui.text.input.KeyboardType
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import ru.vostok.lk.android.api.Channel
import ru.vostok.lk.android.app.R
import ru.vostok.lk.android.app.ui.Field
import ru.vostok.lk.android.app.ui.LkScreen
import ru.vostok.lk.android.app.ui.Notice
import ru.vostok.lk.android.features.recovery.RecoveryEvent
import ru.vostok.lk.android.features.recovery.RecoveryPresenter
import ru.vostok.lk.android.features.recovery.RecoveryStep
import ru.vostok.lk.android.features.registration.RegistrationEvent
import ru.vostok.lk.android.features.registration.RegistrationPresenter
import ru.vostok.lk.android.features.registration.Step
import ru.vostok.lk.android.features.signin.SignInEvent
import ru.vostok.lk.android.features.signin.SignInPresenter
import ru.vostok.lk.android.features.signin.StartPresenter
import ru.vostok.lk.android.presentation.Destination

/** The first screen while the presenter decides where the person starts; then it goes there. */
@Composable
fun StartScreen(presenter: StartPresenter, go: (Destination) -> Unit) {
    val state by presenter.state.collectAsStateWithLifecycle()
    LaunchedEffect(state.home) { state.home?.let(go) }
    LkScreen(stringResource(R.string.app_name), onBack = null, busy = true) {
        Text(stringResource(R.string.loading))
    }
}

@Composable
fun SignInScreen(presenter: SignInPresenter) {
    val state by presenter.state.collectAsStateWithLifecycle()
    LkScreen(stringResource(R.string.sign_in_title), onBack = null, busy = state.busy) {
        Notice(state.error, error = true)
        Field(stringResource(R.string.login), state.login, { presenter.onEvent(SignInEvent.LoginChanged(it)) }, state.loginError)
        Field(stringResource(R.string.password), state.password, {
            presenter.onEvent(SignInEvent.PasswordChanged(it))
        }, state.passwordError, KeyboardType.Password, secret = true)
        Button(onClick = {
            presenter.onEvent(SignInEvent.Submit)
        }, enabled = state.canSubmit, modifier = Modifier.fillMaxWidth()) { Text(stringResource(R.string.sign_in)) }
        TextButton(onClick = { presenter.onEvent(SignInEvent.Register) }) { Text(stringResource(R.string.register)) }
        TextButton(onClick = { presenter.onEvent(SignInEvent.Recover) }) { Text(stringResource(R.string.forgot_password)) }
    }
}

/** The CAPTCHA picture the core's service drew, with its description for TalkBack. */
@Composable
fun Captcha(png: ByteArray?, onNew: () -> Unit) {
    if (png == null) return
    val bitmap = remember(png) { BitmapFactory.decodeByteArray(png, 0, png.size)?.asImageBitmap() } ?: return
    Row(verticalAlignment = Alignment.CenterVertically) {
        Image(bitmap, contentDescription = stringResource(R.string.captcha_picture), modifier = Modifier.height(64.dp))
        TextButton(onClick = onNew) { Text(stringResource(R.string.captcha_new)) }
    }
}

@Composable
fun ChannelChoice(channel: Channel, onChoose: (Channel) -> Unit) {
    Row {
        FilterChip(selected = channel == Channel.PHONE, onClick = {
            onChoose(Channel.PHONE)
        }, label = { Text(stringResource(R.string.channel_phone)) })
        FilterChip(selected = channel == Channel.EMAIL, onClick = {
            onChoose(Channel.EMAIL)
        }, label = { Text(stringResource(R.string.channel_email)) })
    }
}

@Composable
fun RegistrationScreen(presenter: RegistrationPresenter) {
    val state by presenter.state.collectAsStateWithLifecycle()
    val send = presenter::onEvent
    LkScreen(state.stepTitle, onBack = { send(RegistrationEvent.Back) }, busy = state.busy) {
        Notice(state.error, error = true)
        when (state.step) {
            Step.FORM -> {
                val form = state.form
                Field(stringResource(R.string.login), form.login, {
                    send(RegistrationEvent.Form(form.copy(login = it)))
                }, state.fieldErrors["login"], hint = stringResource(R.string.login_hint))
                Field(stringResource(R.string.password), form.password, {
                    send(RegistrationEvent.Form(form.copy(password = it)))
                }, state.fieldErrors["password"], KeyboardType.Password, secret = true)
                ChannelChoice(form.channel) { send(RegistrationEvent.Form(form.copy(channel = it))) }
                val keyboard = if (form.channel == Channel.PHONE) KeyboardType.Phone else KeyboardType.Email
                Field(state.contactLabel, form.contact, {
                    send(RegistrationEvent.Form(form.copy(contact = it)))
                }, state.fieldErrors["contact"], keyboard)
                Text(stringResource(R.string.city), style = MaterialTheme.typography.titleSmall)
                state.cities.forEach { region ->
                    Text(region.region, style = MaterialTheme.typography.labelLarge)
                    region.cities.forEach { city ->
                        FilterChip(selected = form.city == city, onClick = {
                            send(RegistrationEvent.Form(form.copy(city = city)))
                        }, label = { Text(city) })
                    }
                }
                state.fieldErrors["city"]?.let { Text(it, color = MaterialTheme.colorScheme.error) }
                Captcha(state.captchaPng) { send(RegistrationEvent.NewCaptcha) }
                Field(stringResource(R.string.captcha_answer), form.captchaAnswer, {
                    send(RegistrationEvent.Form(form.copy(captchaAnswer = it)))
                }, state.fieldErrors["captcha"], KeyboardType.Number)
                Row(
                    Modifier.fillMaxWidth().toggleable(form.consent, role = Role.Checkbox) {
                        send(RegistrationEvent.Form(form.copy(consent = it)))
                    },
                    verticalAlignment = Alignment.CenterVertically
                ) {
                    Checkbox(checked = form.consent, onCheckedChange = null)
                    Text(state.consentText)
                }
                state.fieldErrors["consent"]?.let { Text(it, color = MaterialTheme.colorScheme.error) }
            }

            Step.ACCOUNT -> {
                Field(stringResource(R.string.account_number), state.accountNumber, {
                    send(RegistrationEvent.AccountNumber(it))
                }, state.fieldErrors["account"], KeyboardType.Number)
                Field(stringResource(R.string.account_proof), state.proof, {
                    send(RegistrationEvent.Proof(it))
                }, state.fieldErrors["proof"], KeyboardType.Decimal)
            }

            Step.CONFIRM_ACCOUNT -> {
                Text(stringResource(R.string.account_address), style = MaterialTheme.typography.labelLarge)
                Text(state.accountAddress.orEmpty(), style = MaterialTheme.typography.bodyLarge)
                Text(stringResource(R.string.account_owner), style = MaterialTheme.typography.labelLarge)
                Text(state.accountOwner.orEmpty(), style = MaterialTheme.typography.bodyLarge)
                TextButton(onClick = { send(RegistrationEvent.ChangeAccount) }) { Text(stringResource(R.string.account_change)) }
                TextButton(onClick = { send(RegistrationEvent.ChangeDetails) }) { Text(stringResource(R.string.details_change)) }
            }

            Step.CODE -> {
                Notice(state.codeSentTo)
                if (!state.byLink) {
                    Field(stringResource(R.string.code), state.code, {
                        send(RegistrationEvent.Code(it))
                    }, state.fieldErrors["code"], KeyboardType.NumberPassword)
                }
                TextButton(onClick = { send(RegistrationEvent.ResendCode) }) { Text(stringResource(R.string.code_resend)) }
            }

            Step.DONE -> Unit
        }
        val label = when (state.step) {
            Step.CONFIRM_ACCOUNT -> R.string.account_confirm
            Step.CODE -> if (state.byLink) R.string.link_check else R.string.next
            Step.DONE -> R.string.registration_finish
            else -> R.string.next
        }
        Button(onClick = {
            send(RegistrationEvent.Continue)
        }, enabled = state.canContinue, modifier = Modifier.fillMaxWidth()) { Text(stringResource(label)) }
    }
}

@Composable
fun RecoveryScreen(presenter: RecoveryPresenter) {
    val state by presenter.state.collectAsStateWithLifecycle()
    val send = presenter::onEvent
    LkScreen(stringResource(R.string.recovery_title), onBack = { send(RecoveryEvent.Back) }, busy = state.busy) {
        Notice(state.error, error = true)
        when (state.step) {
            RecoveryStep.CONTACT -> {
                ChannelChoice(state.channel) { send(RecoveryEvent.ChannelChosen(it)) }
                Field(state.contactLabel, state.contact, { send(RecoveryEvent.Contact(it)) }, state.fieldErrors["contact"])
                Captcha(state.captchaPng) { send(RecoveryEvent.NewCaptcha) }
                Field(stringResource(R.string.captcha_answer), state.captchaAnswer, {
                    send(RecoveryEvent.CaptchaTyped(it))
                }, state.fieldErrors["captcha"], KeyboardType.Number)
            }

            RecoveryStep.CODE -> {
                Notice(state.codeHint)
                Field(stringResource(R.string.code), state.code, {
                    send(RecoveryEvent.Code(it))
                }, state.fieldErrors["code"], KeyboardType.NumberPassword)
            }

            RecoveryStep.LOGIN -> {
                Notice(state.loginText)
                state.logins.forEach { login ->
                    FilterChip(selected = state.login == login, onClick = {
                        send(RecoveryEvent.LoginChosen(login))
                    }, label = { Text(login) })
                }
            }

            RecoveryStep.PASSWORD -> {
                Notice(state.loginText)
                Field(stringResource(R.string.password_new), state.password, {
                    send(RecoveryEvent.Password(it))
                }, state.fieldErrors["password"], KeyboardType.Password, secret = true)
                Field(stringResource(R.string.password_repeat), state.repeat, {
                    send(RecoveryEvent.Repeat(it))
                }, state.fieldErrors["password_repeat"], KeyboardType.Password, secret = true)
            }

            RecoveryStep.DONE -> Notice(state.done)
        }
        val label = if (state.step == RecoveryStep.DONE) R.string.sign_in else R.string.next
        Button(onClick = {
            send(RecoveryEvent.Continue)
        }, enabled = !state.busy, modifier = Modifier.fillMaxWidth()) { Text(stringResource(label)) }
    }
}
