package ru.vostok.lk.android.app.platform

import android.content.Context
import android.net.Uri
import androidx.camera.core.CameraSelector
import androidx.camera.core.ImageCapture
import androidx.camera.core.ImageCaptureException
import androidx.camera.core.Preview
import androidx.camera.lifecycle.ProcessCameraProvider
import androidx.camera.view.PreviewView
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.height
import androidx.compose.foundation.layout.padding
import androidx.compose.material3.Button
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.remember
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.LocalContext
import androidx.compose.ui.platform.LocalLifecycleOwner
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.unit.dp
import androidx.compose.ui.viewinterop.AndroidView
import androidx.core.content.ContextCompat
import com.google.mlkit.vision.common.InputImage
import com.google.mlkit.vision.text.TextRecognition
import com.google.mlkit.vision.text.latin.TextRecognizerOptions
import java.io.File
import ru.vostok.lk.android.api.RecognisedText
import ru.vostok.lk.android.app.R

/**
 * R21: the camera pointed at a dial. The photo is kept in the app's cache; ML Kit's bundled
 * model reads its text on the phone; every line read goes to the presenter, which asks the core
 * what it may be. Nothing is decided here.
 */
@Composable
fun DialCamera(onRead: (photoPath: String, texts: List<RecognisedText>) -> Unit, modifier: Modifier = Modifier) {
    val context = LocalContext.current
    val owner = LocalLifecycleOwner.current
    val capture = remember { ImageCapture.Builder().setCaptureMode(ImageCapture.CAPTURE_MODE_MINIMIZE_LATENCY).build() }
    val description = stringResource(R.string.camera_preview)
    Box(modifier.fillMaxWidth().height(320.dp)) {
        AndroidView(
            factory = { ctx ->
                PreviewView(ctx).also { view ->
                    val future = ProcessCameraProvider.getInstance(ctx)
                    future.addListener({
                        val provider = future.get()
                        val preview = Preview.Builder().build().also { it.surfaceProvider = view.surfaceProvider }
                        provider.unbindAll()
                        provider.bindToLifecycle(owner, CameraSelector.DEFAULT_BACK_CAMERA, preview, capture)
                    }, ContextCompat.getMainExecutor(ctx))
                }
            },
            modifier = Modifier.fillMaxWidth().height(320.dp).semantics { contentDescription = description }
        )
        Button(onClick = { shoot(context, capture, onRead) }, modifier = Modifier.align(Alignment.BottomCenter).padding(12.dp)) {
            Text(stringResource(R.string.shoot))
        }
    }
}

private fun shoot(context: Context, capture: ImageCapture, onRead: (String, List<RecognisedText>) -> Unit) {
    val file = File(context.cacheDir.resolve("photos").apply { mkdirs() }, "dial-${System.currentTimeMillis()}.jpg")
    capture.takePicture(
        ImageCapture.OutputFileOptions.Builder(file).build(),
        ContextCompat.getMainExecutor(context),
        object : ImageCapture.OnImageSavedCallback {
            override fun onImageSaved(output: ImageCapture.OutputFileResults) {
                val image = InputImage.fromFilePath(context, Uri.fromFile(file))
                TextRecognition.getClient(TextRecognizerOptions.DEFAULT_OPTIONS).process(image)
                    .addOnSuccessListener { text ->
                        val lines = text.textBlocks.flatMap { it.lines }.map { RecognisedText(it.text, it.confidence) }
                        onRead(file.path, lines)
                    }
                    .addOnFailureListener { onRead(file.path, emptyList()) }
            }

            override fun onError(exception: ImageCaptureException) = Unit
        }
    )
}
