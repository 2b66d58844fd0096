package ru.vostok.lk.android.app.screens

import android.Manifest
import androidx.activity.compose.ManagedActivityResultLauncher
import androidx.activity.compose.rememberLauncherForActivityResult
import androidx.activity.result.contract.ActivityResultContracts
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.MutableState
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.saveable.rememberSaveable
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.text.input.KeyboardType
import ru.vostok.lk.android.api.RecognisedText
import ru.vostok.lk.android.app.R
import ru.vostok.lk.android.app.platform.DialCamera
import ru.vostok.lk.android.app.ui.Field

/**
 * The camera of a screen where dials are read (a resident's reading, a reader's stop): one open
 * at a time, for the dial [open] names, once the camera permission is given.
 */
class DialCameraState internal constructor(
    private val open: MutableState<String?>,
    private val asking: MutableState<String?>,
    private val permission: ManagedActivityResultLauncher<String, Boolean>
) {
    fun isOpenFor(dial: String): Boolean = open.value == dial

    fun ask(dial: String) {
        asking.value = dial
        permission.launch(Manifest.permission.CAMERA)
    }

    fun close() {
        open.value = null
    }
}

@Composable
fun rememberDialCamera(): DialCameraState {
    val open = rememberSaveable { mutableStateOf<String?>(null) }
    val asking = rememberSaveable { mutableStateOf<String?>(null) }
    val permission = rememberLauncherForActivityResult(ActivityResultContracts.RequestPermission()) { granted ->
        if (granted) open.value = asking.value
    }
    return DialCameraState(open, asking, permission)
}

/** A value read off a dial, typed: the decimal keyboard, the presenter's error under it, the expected range as a hint. */
@Composable
fun DialValueField(label: String, text: String, onChange: (String) -> Unit, error: String? = null, hint: String? = null) =
    Field(label, text, onChange, error, KeyboardType.Decimal, hint = hint)

/** The dial's photo: the button that asks for the camera, then the camera until the picture is taken. */
@Composable
fun DialPhoto(camera: DialCameraState, dial: String, onRead: (photoPath: String, texts: List<RecognisedText>) -> Unit) {
    if (camera.isOpenFor(dial)) {
        DialCamera(onRead = { path, texts ->
            camera.close()
            onRead(path, texts)
        })
    } else {
        OutlinedButton(onClick = { camera.ask(dial) }) { Text(stringResource(R.string.take_photo)) }
    }
}
