// swift-tools-version:5.9
// The one implementation of LkInterface's protocols, over the UniFFI bindings of lk-ffi; the only
// package that imports them. `LkBindings` is the generated Swift (laid out into
// Sources/LkBindings by scripts/build-ios on a Mac, scripts/test-swift on Linux; not committed).
import PackageDescription

#if os(Linux)
// No xcframework on Linux: the generated C headers and module map (in Sources/LkFfiNative) form a
// system library, linked against the liblk_ffi.so built on the host, found again at run time.
let libraryDirectory = Context.environment["LK_FFI_LIBRARY_DIR"] ?? Context.packageDirectory + "/../../../target/debug"
let native: Target = .systemLibrary(name: "LkFfiNative", path: "Sources/LkFfiNative")
let linkNative: [LinkerSetting] = [
    .linkedLibrary("lk_ffi"),
    .unsafeFlags(["-L", libraryDirectory, "-Xlinker", "-rpath", "-Xlinker", libraryDirectory]),
]
#else
// The static library for the device and the simulators, from scripts/build-ios.
let native: Target = .binaryTarget(name: "LkFfiNative", path: "LkFfi.xcframework")
let linkNative: [LinkerSetting] = []
#endif

let package = Package(
    name: "LkImplementation",
    platforms: [.iOS(.v17), .macOS(.v14)],
    products: [
        .library(name: "LkImplementation", targets: ["LkImplementation"]),
        // For tests/swift, which tests the bindings themselves.
        .library(name: "LkBindings", targets: ["LkBindings"]),
    ],
    dependencies: [
        .package(path: "../LkInterface"),
        .package(path: "../LkTestSupport"),
    ],
    targets: [
        native,
        // Both generated files (lk_core's records and lk_ffi's objects) form one Swift module.
        .target(name: "LkBindings", dependencies: ["LkFfiNative"], linkerSettings: linkNative),
        .target(name: "LkImplementation", dependencies: ["LkBindings", "LkInterface"]),
        .testTarget(name: "LkImplementationTests",
                    dependencies: ["LkImplementation", "LkInterface", "LkTestSupport"]),
    ]
)
