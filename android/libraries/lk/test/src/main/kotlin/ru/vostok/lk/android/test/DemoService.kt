package ru.vostok.lk.android.test

import java.io.File
import java.net.ServerSocket
import java.net.URI
import java.net.URLEncoder
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.nio.charset.StandardCharsets.UTF_8
import java.nio.file.Files
import java.time.Duration
import ru.vostok.lk.android.api.SecretStore

/**
 * The real LK service (`target/debug/lk-server --demo`, the path in the system property
 * `lk.server`) on a loopback port, with its demo data, on a day inside every region's reading
 * window; one for the whole test run. And the person's side of the demo: the CAPTCHA's digits,
 * the codes in the outbox, the sandbox acquirer's pages.
 */
class DemoService private constructor(binary: File) {
    val url: String
    private val process: Process

    init {
        val port = ServerSocket(0).use { it.localPort }
        url = "http://127.0.0.1:$port"
        val data = scratch("service")
        val log = File(data, "server.log")
        process = ProcessBuilder(
            binary.path,
            "--demo",
            "--data-dir",
            data.path,
            "--addr",
            "127.0.0.1:$port",
            "--start-at",
            WINDOW_DAY
        ).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log)).start()
        Runtime.getRuntime().addShutdownHook(Thread { process.destroy() })
        val deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos()
        while (runCatching { status("$url/api/v1/health") }.getOrNull() != 200) {
            check(process.isAlive) { "lk-server exited: ${log.readText()}" }
            check(System.nanoTime() < deadline) { "lk-server did not start: ${log.readText()}" }
            Thread.sleep(100)
        }
    }

    /** The digits on the CAPTCHA picture [id]. */
    fun captchaAnswer(id: String): String = field(get("/demo/captcha/$id"), "answer")

    /** The six-digit code in the newest message to [recipient]. */
    fun codeSentTo(recipient: String): String {
        val body = field(get("/demo/outbox?recipient=" + URLEncoder.encode(recipient, UTF_8)), "body")
        return Regex("\\b\\d{6}\\b").find(body)?.value ?: throw AssertionError("no code in «$body»")
    }

    /** Accounts free to register, with the "Итого к оплате" that proves each. */
    fun freeAccounts(): List<Pair<String, String>> {
        val text = get("/demo/accounts")
        val numbers = Regex("\"number\"\\s*:\\s*\"(\\d+)\"").findAll(text).map { it.groupValues[1] }.toList()
        val totals = Regex("\"latest_document_total\"\\s*:\\s*\"([-\\d.]+)\"").findAll(text).map { it.groupValues[1] }.toList()
        return numbers.zip(totals)
    }

    /** Pays on the sandbox acquirer's card page and its 3-D Secure page, as a browser posts them; answers where the page sends the person back. */
    fun payOnAcquirerPage(pageUrl: String, card: String = "4111 1111 1111 1111"): String {
        val secure = postForm(pageUrl, mapOf("card_number" to card, "expiry" to "12/29", "holder" to "IVAN DEMO", "cvc" to "123"))
        return postForm(url + secure, mapOf("code" to "123456"))
    }

    private fun get(path: String): String =
        http.send(request("$url/api/v1$path").GET().build(), HttpResponse.BodyHandlers.ofString()).body()

    private fun status(address: String): Int =
        http.send(request(address).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode()

    private fun postForm(address: String, fields: Map<String, String>): String {
        val form = fields.entries.joinToString("&") { URLEncoder.encode(it.key, UTF_8) + "=" + URLEncoder.encode(it.value, UTF_8) }
        val answer = http.send(
            request(
                address
            ).header("content-type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
            HttpResponse.BodyHandlers.ofString()
        )
        return answer.headers().firstValue("location").orElseThrow {
            AssertionError("no redirect from $address: ${answer.statusCode()} ${answer.body()}")
        }
    }

    private fun request(address: String) = HttpRequest.newBuilder(URI(address)).timeout(Duration.ofSeconds(10))

    private fun field(json: String, name: String): String =
        Regex("\"$name\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"").find(json)?.groupValues?.get(1)
            ?: throw AssertionError("no \"$name\" in $json")

    companion object {
        /** A day inside every region's reading window (the service's clock starts there). */
        const val WINDOW_DAY = "2026-11-21T08:00:00Z"

        private val http: HttpClient = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build()

        /** The one service of the test run, started at first use. */
        val shared: DemoService by lazy {
            DemoService(File(System.getProperty("lk.server") ?: "target/debug/lk-server"))
        }
    }
}

/** A fresh folder for a device's store. */
fun scratch(name: String): File = Files.createTempDirectory("lk-android-$name").toFile()

/** The keystore as a phone keeps it: in memory here. */
class MemorySecretStore : SecretStore {
    private val values = java.util.concurrent.ConcurrentHashMap<String, String>()

    val size: Int get() = values.size

    override fun get(key: String): String? = values[key]

    override fun set(key: String, value: String) {
        values[key] = value
    }

    override fun delete(key: String) {
        values.remove(key)
    }
}
