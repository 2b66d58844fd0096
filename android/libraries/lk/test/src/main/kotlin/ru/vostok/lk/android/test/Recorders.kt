package ru.vostok.lk.android.test

import java.util.concurrent.CopyOnWriteArrayList
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.cancel
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import ru.vostok.lk.android.presentation.Destination
import ru.vostok.lk.android.presentation.DocumentSharing
import ru.vostok.lk.android.presentation.Navigator
import ru.vostok.lk.android.presentation.PaymentBrowser

/** Where the presenter sent the app, in order. */
class RecordingNavigator : Navigator {
    val moves = CopyOnWriteArrayList<String>()

    override fun go(destination: Destination) {
        moves.add("go $destination")
    }

    override fun back() {
        moves.add("back")
    }

    override fun restart(destination: Destination) {
        moves.add("restart $destination")
    }

    /** The moves once there are [count] of them, waiting for the presenter's coroutines up to [timeoutMs]. */
    fun await(count: Int = 1, timeoutMs: Long = 15_000): List<String> {
        val deadline = System.nanoTime() + timeoutMs * 1_000_000
        while (moves.size < count) {
            if (System.nanoTime() > deadline) throw AssertionError("$count moves expected within $timeoutMs ms, got $moves")
            Thread.sleep(10)
        }
        return moves.toList()
    }
}

class RecordingBrowser : PaymentBrowser {
    val opened = CopyOnWriteArrayList<String>()

    override fun open(url: String) {
        opened.add(url)
    }
}

class RecordingSharing : DocumentSharing {
    val opened = CopyOnWriteArrayList<Pair<String, ByteArray>>()
    val shared = CopyOnWriteArrayList<Pair<String, String>>()

    override fun open(pdf: ByteArray, fileName: String) {
        opened.add(fileName to pdf)
    }

    override fun share(pdf: ByteArray, fileName: String, title: String) {
        shared.add(fileName to title)
    }
}

/**
 * Runs a presenter test: the presenter's coroutines start at once on the calling thread and go
 * on wherever the LK resumes them; the scope ends with the test.
 */
fun presenterTest(body: suspend CoroutineScope.(scope: CoroutineScope) -> Unit) {
    val scope = CoroutineScope(SupervisorJob() + Dispatchers.Unconfined)
    try {
        runBlocking { body(scope) }
    } finally {
        scope.cancel()
    }
}

/** The first state that satisfies [condition], waiting up to [timeoutMs]; fails with the last state seen. */
suspend fun <T> StateFlow<T>.await(timeoutMs: Long = 15_000, condition: (T) -> Boolean): T = try {
    withTimeout(timeoutMs) { first(condition) }
} catch (e: kotlinx.coroutines.TimeoutCancellationException) {
    throw AssertionError("no such state within $timeoutMs ms; the last: $value")
}

/** The demo resident's account. */
const val DEMO_ACCOUNT = "450001000001"
