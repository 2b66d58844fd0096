// The device process of the R24 test in Rounds.kt: a second JVM on the same store, killed with
// SIGKILL in the middle of its sync.
package ru.vostok.lk.tests

import kotlinx.coroutines.runBlocking
import ru.vostok.lk.ClientConfig
import ru.vostok.lk.LkClient
import ru.vostok.lk.init

/**
 * The device process of the test in Rounds.kt: opens the store, signs the reader in, and syncs;
 * when the service has taken a third of the captures it sends itself SIGKILL, as a phone's
 * system kills an app mid-work.
 */
fun main(args: Array<String>) {
    init(null)
    val (url, dir) = args
    val lk = LkClient.open(ClientConfig(baseUrl = url, dataDir = dir, timeoutSeconds = 5u), MemorySecureStore())
    runBlocking { lk.session().signIn(READER, READER_PASSWORD) }
    val staff = Staff(url, READER, READER_PASSWORD)
    val self = ProcessHandle.current().pid()
    Thread {
        while (true) {
            val taken = staff.get("/rounds/$ROUND/results.csv").lines().count { it.isNotBlank() } - 1
            if (taken >= CAPTURES / 3) ProcessBuilder("kill", "-9", self.toString()).start().waitFor()
            Thread.sleep(2)
        }
    }.apply { isDaemon = true }.start()
    runBlocking {
        repeat(100) {
            lk.networkAvailable()
            lk.syncNow()
            Thread.sleep(50)
        }
    }
    println("the sync ended before the kill")
}
