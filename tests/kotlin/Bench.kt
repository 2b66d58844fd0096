// The cost of crossing the FFI from Kotlin: a synchronous call, and a listener update (Rust
// publishes, the Kotlin callback runs). Prints its numbers; run by `scripts/test-kotlin --bench`.
package ru.vostok.lk.tests

import java.io.File
import java.util.concurrent.Semaphore
import ru.vostok.lk.OutboxEntry
import ru.vostok.lk.OutboxListener
import ru.vostok.lk.init

fun main(args: Array<String>) {
    init(null)
    val service = Service(File(args.getOrElse(0) { "target/debug/lk-server" }), scratch("bench-service")).start()
    val lk = device(service)
    val session = lk.session()
    repeat(20_000) { session.isSignedIn() }
    val calls = 200_000
    var started = System.nanoTime()
    repeat(calls) { session.isSignedIn() }
    val perCall = (System.nanoTime() - started) / calls
    println("sync FFI call (Session.isSignedIn): $perCall ns")

    val heard = Semaphore(0)
    val sub = lk.readings().observeOutbox(object : OutboxListener {
        override fun onChange(outbox: List<OutboxEntry>) {
            heard.release()
        }
    })
    heard.acquire()
    val updates = 5_000
    started = System.nanoTime()
    // Each dismiss re-reads the outbox from the store and publishes it; wait for every callback.
    repeat(updates) {
        lk.readings().dismiss(-1)
        heard.acquire()
    }
    val perUpdate = (System.nanoTime() - started) / updates
    println("listener update (store read, publish, Kotlin callback): ${perUpdate / 1000} µs")
    sub.cancel()
    service.stop()
    kotlin.system.exitProcess(0)
}
