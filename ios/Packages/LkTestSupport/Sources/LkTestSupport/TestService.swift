import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `lk-server` with its demo data on a loopback port, from scratch (`--in-memory`), its clock on
/// the day every region's reading window is open (tests/support's `WINDOW_DAY`).
/// Started once per test class (`start()` in `class func setUp`) and stopped in its
/// `class func tearDown`: a process left running keeps `swift test` from ever returning.
public final class TestService: @unchecked Sendable {
    public static let windowDay = "2026-11-21T08:00:00Z"

    public let url: String
    private let process = Process()
    private let log: URL

    /// The binary is `LK_SERVER_BINARY` (scripts/test-swift sets it to target/debug/lk-server).
    public static func start() throws -> TestService {
        guard let binary = ProcessInfo.processInfo.environment["LK_SERVER_BINARY"] else {
            throw TestSupportError("LK_SERVER_BINARY is not set: the path of lk-server built on the host")
        }
        var lastError: Error = TestSupportError("lk-server did not start")
        // A random port may be taken: another one then.
        for _ in 0..<5 {
            do { return try TestService(binary: binary, port: Int.random(in: 20000..<60000)) } catch { lastError = error }
        }
        throw lastError
    }

    private init(binary: String, port: Int) throws {
        url = "http://127.0.0.1:\(port)"
        log = FileManager.default.temporaryDirectory.appendingPathComponent("lk-server-\(port).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["--demo", "--in-memory", "--addr", "127.0.0.1:\(port)", "--start-at", TestService.windowDay]
        let output = try FileHandle(forWritingTo: log)
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if (try? HTTP.get("\(url)/api/v1/health", timeout: 2))?.status == 200 { return }
            guard process.isRunning else {
                throw TestSupportError("lk-server exited: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
        stop()
        throw TestSupportError("lk-server did not answer within 60 s")
    }

    public func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }

    deinit { stop() }
}

public struct TestSupportError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Plain blocking HTTP for the tests' side of the demo; redirects are answered, not followed.
enum HTTP {
    struct Answer {
        let status: Int
        let body: String
        let location: String?
    }

    private final class NoRedirects: NSObject, URLSessionTaskDelegate {
        func urlSession(
            _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
            newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void
        ) {
            completionHandler(nil)
        }
    }

    private static let session = URLSession(configuration: .ephemeral, delegate: NoRedirects(), delegateQueue: nil)

    static func get(_ url: String, timeout: TimeInterval = 10) throws -> Answer {
        guard let address = URL(string: url) else { throw TestSupportError("not a URL: \(url)") }
        var request = URLRequest(url: address)
        request.timeoutInterval = timeout
        return try send(request)
    }

    private static func send(_ request: URLRequest) throws -> Answer {
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var result: Result<Answer, Error> = .failure(TestSupportError("no answer"))
        session.dataTask(with: request) { data, response, error in
            if let error {
                result = .failure(error)
            } else if let response = response as? HTTPURLResponse {
                result = .success(
                    Answer(
                        status: response.statusCode,
                        body: String(decoding: data ?? Data(), as: UTF8.self),
                        location: response.value(forHTTPHeaderField: "location")))
            }
            done.signal()
        }.resume()
        done.wait()
        return try result.get()
    }
}
