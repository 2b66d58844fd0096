// swift-tools-version:5.9
// The Swift side of the bindings, tested with `swift test` against the real core and the real LK
// service: on Linux by scripts/test-swift (in its chroot), on a Mac after scripts/build-ios (see
// ios/README.md). The bindings are ios/Packages/LkImplementation's LkBindings, as the app links them.
import PackageDescription

let package = Package(
    name: "LkSwiftTests",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(path: "../../ios/Packages/LkImplementation"),
        .package(path: "../../ios/Packages/LkTestSupport"),
    ],
    targets: [
        .testTarget(name: "LkTests", dependencies: [
            .product(name: "LkBindings", package: "LkImplementation"),
            .product(name: "LkTestSupport", package: "LkTestSupport"),
        ], path: "Tests/LkTests"),
    ]
)
