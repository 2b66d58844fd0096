// swift-tools-version:5.9
// What the Swift suites share (tests/swift and the ios packages' integration tests): the real LK
// service started on a loopback port, and the person's side of the demo (the CAPTCHA's digits,
// the codes in the demo outbox, paying on the sandbox acquirer's page). Foundation only.
import PackageDescription

let package = Package(
    name: "LkTestSupport",
    platforms: [.macOS(.v14), .iOS(.v17)],
    products: [.library(name: "LkTestSupport", targets: ["LkTestSupport"])],
    targets: [.target(name: "LkTestSupport")]
)
