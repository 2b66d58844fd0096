package ru.vostok.lk.android.app.platform

import android.content.ActivityNotFoundException
import android.content.Context
import android.content.Intent
import android.net.Uri
import androidx.browser.customtabs.CustomTabsIntent
import androidx.core.content.FileProvider
import ru.vostok.lk.android.presentation.DocumentSharing
import ru.vostok.lk.android.presentation.PaymentBrowser

/** A PDF the core made, written to the app's cache and handed to a viewer or the share sheet through the FileProvider. */
class PdfSharing(private val context: Context) : DocumentSharing {
    override fun open(pdf: ByteArray, fileName: String) {
        val intent = Intent(Intent.ACTION_VIEW).setDataAndType(write(pdf, fileName), PDF).addFlags(Intent.FLAG_GRANT_READ_URI_PERMISSION)
        start(Intent.createChooser(intent, null))
    }

    override fun share(pdf: ByteArray, fileName: String, title: String) {
        val intent = Intent(Intent.ACTION_SEND).setType(PDF)
            .putExtra(Intent.EXTRA_STREAM, write(pdf, fileName))
            .putExtra(Intent.EXTRA_SUBJECT, title)
            .addFlags(Intent.FLAG_GRANT_READ_URI_PERMISSION)
        start(Intent.createChooser(intent, title))
    }

    private fun write(pdf: ByteArray, fileName: String): Uri {
        val dir = context.cacheDir.resolve("documents").apply { mkdirs() }
        val file = dir.resolve(fileName).apply { writeBytes(pdf) }
        return FileProvider.getUriForFile(context, "${context.packageName}.documents", file)
    }

    private fun start(intent: Intent) = context.startActivity(intent.addFlags(Intent.FLAG_ACTIVITY_NEW_TASK))

    private companion object {
        const val PDF = "application/pdf"
    }
}

/** R23: the acquirer's page in a Custom Tab (card data never reaches the app); a browser without Custom Tabs gets the plain link. */
class CustomTabPaymentBrowser(private val context: Context) : PaymentBrowser {
    override fun open(url: String) {
        val uri = Uri.parse(url)
        try {
            CustomTabsIntent.Builder().setShowTitle(true).build().apply {
                intent.addFlags(Intent.FLAG_ACTIVITY_NEW_TASK)
            }.launchUrl(context, uri)
        } catch (e: ActivityNotFoundException) {
            context.startActivity(Intent(Intent.ACTION_VIEW, uri).addFlags(Intent.FLAG_ACTIVITY_NEW_TASK))
        }
    }
}
