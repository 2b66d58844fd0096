package ru.vostok.lk.android.api

import java.time.Instant

/** A screen's data and when it last came from the service: without a connection it is the store's. */
data class Cached<out T>(val value: T, val refreshedAt: Instant)
