package ru.vostok.lk.android.impl

import ru.vostok.lk.android.api.LkFailure
import ru.vostok.lk.core.ApiError
import ru.vostok.lk.core.ErrorCode
import ru.vostok.lk.core.LkException
import ru.vostok.lk.core.errorTexts

/** The core's code as written on the wire: `INVALID_CREDENTIALS` is `invalid_credentials`. */
internal fun ErrorCode.wire(): String = name.lowercase()

internal fun LkException.Failed.failure() = LkFailure(code.wire(), text, field)

internal fun ApiError.failure() = LkFailure(code.wire(), message, field)

/** Runs a call of the bindings, its failure as the interface's. */
internal inline fun <T> core(call: () -> T): T = try {
    call()
} catch (e: LkException.Failed) {
    throw e.failure()
}

/**
 * Every failure the core can give the app, each with its Russian text (the core's `errorTexts()`,
 * `unknown` last), made as a refusal of the bindings is made into the interface's: the catalogue
 * the tests check every screen's wording against.
 */
object CoreFailures {
    val all: List<LkFailure> get() = errorTexts().map { LkException.Failed(it.code, it.text, null).failure() }
}
