// What the Kotlin suite needs besides the bindings: a tiny test runner, the real LK service
// started as a process on a loopback port, and the person's side of the demo (reading the CAPTCHA,
// the SMS outbox, paying on the sandbox acquirer's pages as a browser would).
package ru.vostok.lk.tests

import com.google.gson.JsonObject
import com.google.gson.JsonParser
import java.io.File
import java.math.BigDecimal
import java.net.ServerSocket
import java.net.URI
import java.net.URLEncoder
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.nio.charset.StandardCharsets.UTF_8
import java.nio.file.Files
import java.time.Duration
import java.util.concurrent.ConcurrentHashMap
import ru.vostok.lk.core.LkException
import ru.vostok.lk.SecureStore

class Runner {
    private var passed = 0
    private var failed = 0

    fun test(name: String, body: () -> Unit) {
        val started = System.nanoTime()
        try {
            body()
            passed++
            println("ok   $name (${(System.nanoTime() - started) / 1_000_000} ms)")
        } catch (e: Throwable) {
            failed++
            println("FAIL $name: $e")
            e.printStackTrace(System.out)
        }
    }

    /** The last line, read by scripts/test. */
    fun summary(): Int {
        println("$passed passed, $failed failed")
        return if (failed == 0 && passed > 0) 0 else 1
    }
}

fun check(condition: Boolean, message: () -> String) {
    if (!condition) throw AssertionError(message())
}

fun <T> expectEqual(expected: T, actual: T, what: String) {
    check(expected == actual) { "$what: expected <$expected>, got <$actual>" }
}

/** Amounts compare by value: the core's `1340.15` and a fixture's `1340.15` or `1340.150`. */
fun expectAmount(expected: BigDecimal, actual: BigDecimal, what: String) {
    check(expected.compareTo(actual) == 0) { "$what: expected <$expected>, got <$actual>" }
}

/** The cases of one of the shared fixture files of tests/fixtures (read with Debian's Gson). */
fun fixtureCases(name: String): List<JsonObject> =
    JsonParser.parseString(File("tests/fixtures/$name").readText()).asJsonObject.objects("cases")

fun JsonObject.objects(name: String): List<JsonObject> = getAsJsonArray(name).map { it.asJsonObject }

fun JsonObject.text(name: String): String = get(name).asString

fun JsonObject.amount(name: String): BigDecimal = BigDecimal(text(name))

/** Runs `body`, which must throw the bindings' error; answers it. */
inline fun expectFailure(body: () -> Unit): LkException.Failed {
    try {
        body()
    } catch (e: LkException.Failed) {
        return e
    }
    throw AssertionError("expected an LkException")
}

/** The refresh token kept as a phone keeps it: in memory here, counted so tests can see it. */
class MemorySecureStore : SecureStore {
    val values = ConcurrentHashMap<String, String>()

    override fun get(key: String): String? = values[key]

    override fun set(key: String, value: String) {
        values[key] = value
    }

    override fun delete(key: String) {
        values.remove(key)
    }
}

/** The LK service (`target/debug/lk-server`) with its demo data, on a day inside every region's reading window. */
class Service(private val binary: File, private val dataDir: File) : AutoCloseable {
    val port: Int = ServerSocket(0).use { it.localPort }
    val url = "http://127.0.0.1:$port"
    private var process: Process? = null

    fun start(): Service {
        val log = File(dataDir, "server.log")
        process = ProcessBuilder(
            binary.path, "--demo", "--data-dir", dataDir.path, "--addr", "127.0.0.1:$port",
            "--start-at", "2026-11-21T08:00:00Z",
        ).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log)).start()
        val deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos()
        while (System.nanoTime() < deadline) {
            if (runCatching { Demo.http.send(get("$url/api/v1/health"), HttpResponse.BodyHandlers.ofString()).statusCode() }.getOrNull() == 200) {
                return this
            }
            check(process?.isAlive == true) { "lk-server exited: ${log.readText()}" }
            Thread.sleep(100)
        }
        throw AssertionError("lk-server did not start: ${log.readText()}")
    }

    fun stop() {
        process?.let {
            it.destroy()
            it.waitFor()
        }
        process = null
    }

    override fun close() = stop()
}

private fun get(url: String): HttpRequest = HttpRequest.newBuilder(URI(url)).timeout(Duration.ofSeconds(10)).GET().build()

/** The person's side: what they read on the demo pages and do in the browser. */
class Demo(private val base: String) {
    companion object {
        val http: HttpClient = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build()
    }

    fun getText(path: String): String = http.send(get("$base/api/v1$path"), HttpResponse.BodyHandlers.ofString()).body()

    /** The digits on the CAPTCHA picture. */
    fun captchaAnswer(id: String): String = field(getText("/demo/captcha/$id"), "answer")

    /** The six-digit code in the newest message to `recipient`. */
    fun codeSentTo(recipient: String): String {
        val body = field(getText("/demo/outbox?recipient=" + URLEncoder.encode(recipient, UTF_8)), "body")
        return Regex("\\b\\d{6}\\b").find(body)?.value ?: throw AssertionError("no code in «$body»")
    }

    /** Accounts free to register: number to the "Итого к оплате" that proves them. */
    fun freeAccounts(): List<Pair<String, String>> {
        val text = getText("/demo/accounts")
        val numbers = Regex("\"number\"\\s*:\\s*\"(\\d+)\"").findAll(text).map { it.groupValues[1] }.toList()
        val totals = Regex("\"latest_document_total\"\\s*:\\s*\"([-\\d.]+)\"").findAll(text).map { it.groupValues[1] }.toList()
        return numbers.zip(totals)
    }

    /** Pays on the sandbox acquirer's card page, then its 3-D Secure page; answers where the browser is sent back. */
    fun payOnAcquirerPage(url: String, card: String): String {
        val secure = postForm(url, mapOf("card_number" to card, "expiry" to "12/29", "holder" to "IVAN DEMO", "cvc" to "123"))
        return postForm(base + secure, mapOf("code" to "123456"))
    }

    private fun postForm(url: String, fields: Map<String, String>): String {
        val form = fields.entries.joinToString("&") { URLEncoder.encode(it.key, UTF_8) + "=" + URLEncoder.encode(it.value, UTF_8) }
        val request = HttpRequest.newBuilder(URI(url)).timeout(Duration.ofSeconds(10))
            .header("content-type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form)).build()
        val answer = http.send(request, HttpResponse.BodyHandlers.ofString())
        return answer.headers().firstValue("location").orElseThrow { AssertionError("no redirect from $url: ${answer.statusCode()} ${answer.body()}") }
    }

    private fun field(json: String, name: String): String =
        Regex("\"$name\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"").find(json)?.groupValues?.get(1)
            ?: throw AssertionError("no \"$name\" in $json")
}

fun scratch(name: String): File = Files.createTempDirectory("lk-kotlin-$name").toFile()
