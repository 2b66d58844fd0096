// swift-tools-version:5.9
// The Swift side of the bindings, tested with `swift test` on a Mac against the real core and
// the real LK service. `scripts/prepare-swift-tests` (run first, on the Mac) builds the library
// for macOS and puts the generated sources and the xcframework here; they are not committed.
import PackageDescription

let package = Package(
    name: "LkSwiftTests",
    platforms: [.macOS(.v13)],
    targets: [
        .binaryTarget(name: "LkFfiNative", path: "LkFfi.xcframework"),
        // Both generated files (lk_core's records and lk_ffi's objects) form one Swift module.
        .target(name: "LkBindings", dependencies: ["LkFfiNative"], path: "Sources/LkBindings"),
        .testTarget(name: "LkTests", dependencies: ["LkBindings"], path: "Tests/LkTests"),
    ]
)
