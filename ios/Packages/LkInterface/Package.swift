// swift-tools-version:5.9
// What the features ask of the LK, and the data they show: protocols and plain values, Foundation
// only. Implemented by LkImplementation (over the core) and by the tests' fakes.
import PackageDescription

let package = Package(
    name: "LkInterface",
    platforms: [.iOS(.v17), .macOS(.v14)],
    products: [.library(name: "LkInterface", targets: ["LkInterface"])],
    targets: [
        .target(name: "LkInterface"),
        .testTarget(name: "LkInterfaceTests", dependencies: ["LkInterface"]),
    ]
)
