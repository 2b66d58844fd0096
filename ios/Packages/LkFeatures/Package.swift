// swift-tools-version:5.9
// One view model a screen: `@Observable`, Foundation and Observation only (no SwiftUI, no UIKit).
// All wording, formatting (through the core's formatters) and navigation decisions live here; the
// app's SwiftUI views only draw a view model's state and send its actions.
import PackageDescription

#if os(Linux)
    // Swift 6.0.3's libswiftObservation.so on Linux leaves swift::threading::fatal undefined
    // (swiftlang/swift#75670, fixed in 6.2): the link would fail without this.
    let observationLink: [LinkerSetting] = [.unsafeFlags(["-Xlinker", "--allow-shlib-undefined"])]
#else
    let observationLink: [LinkerSetting] = []
#endif

let package = Package(
    name: "LkFeatures",
    platforms: [.iOS(.v17), .macOS(.v14)],
    products: [.library(name: "LkFeatures", targets: ["LkFeatures"])],
    dependencies: [
        .package(path: "../LkInterface"),
        .package(path: "../LkImplementation"),
        .package(path: "../LkTestSupport"),
    ],
    targets: [
        .target(name: "LkFeatures", dependencies: ["LkInterface"], linkerSettings: observationLink),
        // What both test sets share: the routes asked for, a fixed clock.
        .target(name: "LkFeaturesTesting", dependencies: ["LkFeatures", "LkInterface"], path: "Tests/LkFeaturesTesting"),
        // Against fakes of LkInterface, with the real core's Russian (LkImplementation's formatter).
        .testTarget(
            name: "LkFeaturesTests",
            dependencies: [
                "LkFeatures", "LkFeaturesTesting", "LkInterface", .product(name: "LkImplementation", package: "LkImplementation"),
            ]),
        // Against the real library and the real LK service.
        .testTarget(
            name: "LkFeaturesIntegrationTests",
            dependencies: [
                "LkFeatures", "LkFeaturesTesting", "LkInterface",
                .product(name: "LkImplementation", package: "LkImplementation"), "LkTestSupport",
            ]),
    ]
)
