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
    targets: [
        .target(name: "CKernels", cSettings: kernelFlags, linkerSettings: [.linkedLibrary("pthread"), .linkedLibrary("m")]),
        .target(name: "NNEngine", dependencies: ["CKernels"]),
        .target(name: "NNSLanguage", dependencies: ["NNEngine"]),
        .systemLibrary(name: "CReadline", path: "Sources/CReadline"),
        .target(name: "NNSREPL", dependencies: ["NNSLanguage", "CReadline"]),
        .executableTarget(name: "nns", dependencies: ["NNSREPL", "NNSLanguage"]),
        // Benchmarks: `swift run -c release nns-bench ...` (driven by the scripts in bench/).
        .executableTarget(name: "nns-bench", dependencies: ["NNEngine", "NNSLanguage"], path: "bench/nns-bench"),
        .testTarget(name: "NNEngineTests", dependencies: ["NNEngine"]),
        .testTarget(name: "NNSLanguageTests", dependencies: ["NNSLanguage"]),
        .testTarget(name: "NNSREPLTests", dependencies: ["NNSREPL"]),
    ],
    swiftLanguageModes: [.v5]
)
