package ru.vostok.lk.android.app.ui

import android.os.Build
import androidx.compose.foundation.isSystemInDarkTheme
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.darkColorScheme
import androidx.compose.material3.dynamicDarkColorScheme
import androidx.compose.material3.dynamicLightColorScheme
import androidx.compose.material3.lightColorScheme
import androidx.compose.runtime.Composable
import androidx.compose.ui.graphics.Color
import androidx.compose.ui.platform.LocalContext

private val Light = lightColorScheme(primary = Color(0xFF1565C0), secondary = Color(0xFFF9A825), error = Color(0xFFB3261E))
private val Dark = darkColorScheme(primary = Color(0xFF90CAF9), secondary = Color(0xFFFFD54F), error = Color(0xFFF2B8B5))

/** Material 3 with the system's dark mode and, on Android 12+, its dynamic colours. Text sizes are in sp: large fonts scale them. */
@Composable
fun LkTheme(content: @Composable () -> Unit) {
    val dark = isSystemInDarkTheme()
    val colors = when {
        Build.VERSION.SDK_INT >= Build.VERSION_CODES.S -> if (dark) {
            dynamicDarkColorScheme(
                LocalContext.current
            )
        } else {
            dynamicLightColorScheme(LocalContext.current)
        }

        dark -> Dark

        else -> Light
    }
    MaterialTheme(colorScheme = colors, content = content)
}
