// swift-tools-version:6.0
import PackageDescription

// The C kernels are always built optimised: a debug `swift test` would otherwise
// spend its minutes in -O0 matrix products.
let kernelFlags: [CSetting] = [.unsafeFlags(["-O3", "-fno-math-errno"])]

let package = Package(
    name: "nns",
    products: [
        .executable(name: "nns", targets: ["nns"]),
        .library(name: "NNEngine", targets: ["NNEngine"]),
    ],
    dependencies: [
        // ONNX export: the message types in Sources/NNExport/ONNX are generated (tools/regenerate-onnx.sh).
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
    ],
    targets: [
        .target(name: "CKernels", cSettings: kernelFlags, linkerSettings: [.linkedLibrary("pthread"), .linkedLibrary("m")]),
        // gzip (MNIST's IDX files) through the system zlib (zlib1g-dev), as readline is linked.
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        .target(name: "NNEngine", dependencies: ["CKernels", "CZlib"]),
        // Export to ONNX and PyTorch; its own target so only what exports pays for swift-protobuf.
        .target(name: "NNExport", dependencies: ["NNEngine", .product(name: "SwiftProtobuf", package: "swift-protobuf")]),
        .target(name: "NNSLanguage", dependencies: ["NNEngine", "NNExport"]),
        .systemLibrary(name: "CReadline", path: "Sources/CReadline"),
        .target(name: "NNSREPL", dependencies: ["NNSLanguage", "CReadline"]),
        .executableTarget(name: "nns", dependencies: ["NNSREPL", "NNSLanguage", "NNEngine"]),
        // Benchmarks: `swift run -c release nns-bench ...` (driven by the scripts in bench/).
        .executableTarget(name: "nns-bench", dependencies: ["NNEngine", "NNSLanguage"], path: "bench/nns-bench"),
        // Writes files and runs networks for the Python interoperability checks (tools/ci/io_checks.sh).
        .executableTarget(name: "nns-io-check", dependencies: ["NNEngine", "NNExport"], path: "tools/nns-io-check"),
        // The hand-worked network every test target builds its checks on (one copy of its numbers).
        .target(name: "TestFixtures", dependencies: ["NNEngine"], path: "Tests/TestFixtures"),
        .testTarget(name: "NNEngineTests", dependencies: ["NNEngine", "TestFixtures"]),
        .testTarget(name: "NNExportTests", dependencies: ["NNExport", "TestFixtures"]),
        .testTarget(name: "NNSLanguageTests", dependencies: ["NNSLanguage", "TestFixtures"]),
        .testTarget(name: "NNSREPLTests", dependencies: ["NNSREPL", "TestFixtures"]),
    ],
    swiftLanguageModes: [.v5]
)
