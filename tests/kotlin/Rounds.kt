// R24 through the bindings: a reader's route downloaded, fifty stops captured offline (photos,
// a skip, a rollover), the device process killed with SIGKILL in the middle of its sync, the
// store opened again and synced: every capture taken by the service exactly once, every photo
// once. The killed device is a second JVM (RoundsDeviceKt below) on the same store.
package ru.vostok.lk.tests

import java.io.File
import java.math.BigDecimal
import java.net.URI
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.time.Duration
import java.util.concurrent.TimeUnit
import kotlinx.coroutines.runBlocking
import ru.vostok.lk.CaptureDraft
import ru.vostok.lk.core.CaptureState
import ru.vostok.lk.core.CaptureStatus
import ru.vostok.lk.core.OutboxState
import ru.vostok.lk.core.Recorded
import ru.vostok.lk.core.RouteMeter
import ru.vostok.lk.core.RouteStop
import ru.vostok.lk.core.SerialCheck
import ru.vostok.lk.core.SkipReason
import ru.vostok.lk.core.ZoneInput

const val ROUND = "R-2"
const val READER = "reader2"
const val READER_PASSWORD = "Reader2-2026"

/** The captures the test makes: the service's count must end exactly at this. */
const val CAPTURES = 50

fun roundsTests(runner: Runner, service: Service) {
    runner.test("R24: a reader's offline round, its device killed mid-sync, is taken once with every photo once") {
        runBlocking {
            val dir = scratch("round-device")
            val lk = device(service, dir)
            lk.session().signIn(READER, READER_PASSWORD)
            check(lk.rounds().list().value.rounds.any { it.id == ROUND }) { "the reader has $ROUND" }
            val route = lk.rounds().download(ROUND).value
            // A meter about to pass its dial's capacity: its expected range wraps through zero.
            val wrapping = route.stops.filter { !it.cancelled }.flatMap { s -> s.meters.map { s to it } }
                .firstOrNull { (_, m) -> m.expected.size == 1 && m.expected[0].high < m.expected[0].low }
            check(wrapping != null) { "the demo route has a meter about to roll over" }
            val ordinary = route.stops.reversed().filter { !it.cancelled && it != wrapping!!.first }
                .mapNotNull { s -> s.meters.firstOrNull { it.expected.size == 1 }?.let { s to it } }
                .take(CAPTURES - 1)
            check(ordinary.size == CAPTURES - 1) { "enough stops: ${ordinary.size}" }
            service.stop()
            var photos = 0
            try {
                for ((i, pair) in ordinary.withIndex()) {
                    val (stop, meter) = pair
                    val range = meter.expected[0]
                    when {
                        i == 7 -> {
                            val fault = draft(stop, meter, Recorded.Skip(SkipReason.FAULTY, ""))
                            check(lk.rounds().assess(ROUND, fault, 0u).photoNeeded) { "a fault asks for a photo" }
                            lk.rounds().capture(ROUND, draft(stop, meter, Recorded.Skip(SkipReason.NO_ACCESS, "Не открыли")), null)
                        }
                        i % 10 == 3 -> {
                            // Far above the range: saved only with a photo, then it is the office's.
                            val far = draft(stop, meter, reading(meter, range.high + BigDecimal(50)))
                            val assessed = lk.rounds().assess(ROUND, far, 0u)
                            check(assessed.photoNeeded && assessed.status == CaptureStatus.REJECTED) { "asks for a photo: $assessed" }
                            expectEqual(ru.vostok.lk.core.ErrorCode.INVALID_INPUT, expectFailure { lk.rounds().capture(ROUND, far, null) }.code, "refused without it")
                            lk.rounds().capture(ROUND, far, photo(dir, i).path)
                            photos++
                        }
                        else -> lk.rounds().capture(ROUND, draft(stop, meter, reading(meter, range.low + BigDecimal("0.5"))), null)
                    }
                }
                val (stop, meter) = wrapping!!
                val through = draft(stop, meter, reading(meter, meter.expected[0].high))
                check(lk.rounds().assess(ROUND, through, 0u).photoNeeded) { "a rollover asks for a photo" }
                lk.rounds().capture(ROUND, through, photo(dir, 99).path)
                photos++
                expectEqual(CAPTURES, lk.rounds().journal(ROUND).count { it.state == CaptureState.SAVED }, "all saved on the device")
                expectEqual(1u, lk.rounds().progress(ROUND).skipped, "one skipped")
            } finally {
                lk.close()
                service.start()
            }

            // Another process of the same app syncs, and is killed with SIGKILL part way.
            val child = ProcessBuilder(
                File(System.getProperty("java.home"), "bin/java").path,
                "-Djna.library.path=" + System.getProperty("jna.library.path"),
                "-cp", System.getProperty("java.class.path"),
                "ru.vostok.lk.tests.RoundsDeviceKt", service.url, dir.path,
            ).redirectErrorStream(true).start()
            check(child.waitFor(120, TimeUnit.SECONDS)) { "the device process ends" }
            val said = child.inputStream.bufferedReader().readText()
            expectEqual(137, child.exitValue(), "killed by SIGKILL: $said")

            val reader = Staff(service.url, READER, READER_PASSWORD)
            val taken = reader.get("/rounds/$ROUND/results.csv").lines().count { it.isNotBlank() } - 1
            check(taken >= CAPTURES / 3) { "killed once the service had taken a third: $taken of $CAPTURES ($said)" }

            val again = device(service, dir)
            again.session().signIn(READER, READER_PASSWORD)
            check(again.rounds().journal(ROUND).any { it.state == CaptureState.SAVED }) { "some were still waiting" }
            repeat(50) {
                again.networkAvailable()
                again.syncNow()
                if (again.readings().outbox().none { it.state == OutboxState.QUEUED }) return@repeat
                Thread.sleep(100)
            }
            val journal = again.rounds().journal(ROUND)
            expectEqual(CAPTURES, journal.size, "the journal has each capture once")
            check(journal.none { it.state == CaptureState.SAVED || it.state == CaptureState.REJECTED }) { "all answered: ${journal.map { it.state to it.reasons }}" }
            val csv = reader.get("/rounds/$ROUND/results.csv").lines().filter { it.isNotBlank() }.drop(1)
            expectEqual(CAPTURES, csv.size, "the service has each capture exactly once")
            // One row a capture: each of the fifty meters once (the third column).
            val meters = csv.map { it.split(";")[2] }
            expectEqual(journal.map { it.capture.meterId!! }.sorted(), meters.sorted(), "each meter's capture once")
            // The office sees each flagged capture once, with its one photo uploaded once.
            val office = com.google.gson.JsonParser.parseString(Staff(service.url, "office", "Office-2026").get("/office/captures"))
                .asJsonObject.objects("captures")
            val withPhotos = journal.filter { it.capture.photos.isNotEmpty() }
            expectEqual(photos, withPhotos.size, "each photographed capture names its photo")
            for (entry in withPhotos) {
                val listed = office.filter { it.getAsJsonObject("capture").text("device_id") == entry.capture.deviceId }
                expectEqual(1, listed.size, "flagged once")
                expectEqual(1, listed.single().getAsJsonArray("photos").size(), "its photo once")
            }
            // The values far above their range are the office's, and so is the rollover: the demo's
            // resident has already read that meter this period.
            check(withPhotos.all { it.state == CaptureState.NEEDS_REVIEW }) { "for the office: ${withPhotos.map { it.state to it.reasons }}" }
            check(again.readings().outbox().none { it.hasPhoto }) { "no photo left to send" }
        }
    }
}

fun draft(stop: RouteStop, meter: RouteMeter, recorded: Recorded) = CaptureDraft(stop.id, meter.meter.id, recorded, null)

fun reading(meter: RouteMeter, value: BigDecimal) =
    Recorded.Reading(SerialCheck.Confirmed, listOf(ZoneInput(meter.expected[0].zone, value.toPlainString())))

/** A JPEG's first bytes, different for each capture. */
fun photo(dir: File, i: Int): File = File(dir, "dial-$i.jpg").also {
    it.writeBytes(byteArrayOf(0xFF.toByte(), 0xD8.toByte(), 0xFF.toByte(), 0xE0.toByte()) + ByteArray(64) { i.toByte() })
}

/** A staff member's view of the service over plain HTTP, as the office's screens would read it. */
class Staff(private val base: String, login: String, password: String) {
    private val token: String = run {
        val body = """{"login":"$login","password":"$password"}"""
        val request = HttpRequest.newBuilder(URI("$base/api/v1/sessions")).timeout(Duration.ofSeconds(10))
            .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build()
        val answer = Demo.http.send(request, HttpResponse.BodyHandlers.ofString()).body()
        Regex("\"access_token\"\\s*:\\s*\"([^\"]+)\"").find(answer)?.groupValues?.get(1) ?: throw AssertionError("no token: $answer")
    }

    fun get(path: String): String {
        val request = HttpRequest.newBuilder(URI("$base/api/v1$path")).timeout(Duration.ofSeconds(10))
            .header("authorization", "Bearer $token").GET().build()
        return Demo.http.send(request, HttpResponse.BodyHandlers.ofString()).body()
    }
}
