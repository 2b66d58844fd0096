package ru.vostok.lk.android.app.platform

import android.Manifest
import android.content.Context
import android.content.pm.PackageManager
import android.location.LocationManager
import androidx.core.content.ContextCompat
import java.math.BigDecimal
import java.math.RoundingMode
import ru.vostok.lk.android.api.Position
import ru.vostok.lk.android.presentation.PositionSource

/** R24: the last fix the phone has (no Play services needed); none without permission or a fix: the capture says so. */
class LastKnownPosition(private val context: Context) : PositionSource {
    override fun current(): Position? {
        if (ContextCompat.checkSelfPermission(context, Manifest.permission.ACCESS_FINE_LOCATION) !=
            PackageManager.PERMISSION_GRANTED
        ) {
            return null
        }
        val manager = context.getSystemService(LocationManager::class.java)
        val fix = manager.getProviders(true).mapNotNull { manager.getLastKnownLocation(it) }.maxByOrNull { it.time } ?: return null
        fun degrees(value: Double) = BigDecimal.valueOf(value).setScale(6, RoundingMode.HALF_EVEN)
        return Position(degrees(fix.latitude), degrees(fix.longitude), fix.accuracy.toInt())
    }
}
