// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "Setlist",
    platforms: [.macOS(.v15)],  // Synchronization.Atomic (TrackSpace) needs macOS 15
    products: [
        .executable(name: "setlist", targets: ["setlist"]),
        .library(name: "Tensor", targets: ["Tensor"]),
        .library(name: "Listening", targets: ["Listening"]),
        .library(name: "TrackSpace", targets: ["TrackSpace"]),
        .library(name: "UserModels", targets: ["UserModels"]),
        .library(name: "Evaluation", targets: ["Evaluation"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
    ],
    targets: [
        // System libraries.
        .systemLibrary(
            name: "COpenBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(
            name: "CNcursesw",
            pkgConfig: "ncursesw",
            providers: [.apt(["libncursesw5-dev"])]),
        // Software prefetch for TrackSpace's hot loops (Swift has no prefetch intrinsic).
        .target(name: "CPrefetch"),

        // The modelling core, lowest layer first. Randomness is the one seeded generator, below
        // Tensor and Listening, which do not depend on each other.
        .target(name: "Randomness"),
        .target(
            name: "Tensor",
            dependencies: [
                "Randomness",
                .target(name: "COpenBLAS", condition: .when(platforms: [.linux])),
                .product(name: "Numerics", package: "swift-numerics"),
            ]),
        .target(
            name: "Listening",
            dependencies: [
                "Randomness",
                .product(name: "GRDB", package: "GRDB.swift"),
                // Raw prepared statements for bulk inserts, which GRDB's typed API would slow down.
                .product(name: "GRDBSQLite", package: "GRDB.swift", condition: .when(platforms: [.linux])),
            ]),
        .target(
            name: "TrackSpace",
            dependencies: [
                "Tensor",
                "Listening",
                "CPrefetch",
                .target(name: "COpenBLAS", condition: .when(platforms: [.linux])),
            ]),
        .target(
            name: "UserModels",
            dependencies: ["Tensor", "Listening"]),
        .target(
            name: "Evaluation",
            dependencies: ["Randomness", "Listening", "UserModels"]),
        .target(
            name: "Explorer",
            dependencies: ["Listening", "UserModels", "Evaluation"]),

        // The command-line interface.
        .executableTarget(
            name: "setlist",
            dependencies: [
                "Listening",
                "Tensor",
                "TrackSpace",
                "UserModels",
                "Evaluation",
                "Explorer",
                "CNcursesw",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),

        // Tests, one target a module, plus end-to-end tests of the built binary; TestSupport gives them
        // temporary folders that go with the test process, and the id of an ended process.
        .target(name: "TestSupport", dependencies: ["Listening"], path: "Tests/TestSupport"),
        .testTarget(name: "TensorTests", dependencies: ["TestSupport", "Tensor"]),
        .testTarget(name: "ListeningTests", dependencies: ["TestSupport", "Listening", "Randomness"]),
        .testTarget(name: "UserModelsTests", dependencies: ["TestSupport", "UserModels", "Listening", "Evaluation", "Tensor"]),
        .testTarget(name: "ExplorerTests", dependencies: ["Explorer", "Evaluation", "Listening", "UserModels"]),
        .testTarget(name: "EvaluationTests", dependencies: ["Evaluation", "UserModels", "Listening", "TrackSpace"]),
        .testTarget(name: "TrackSpaceTests", dependencies: ["TestSupport", "TrackSpace", "Listening", "Tensor", "Randomness"]),
        .testTarget(name: "SetlistCLITests", dependencies: ["TestSupport", "Listening", "Tensor"]),
    ]
)
