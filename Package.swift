// swift-tools-version:6.0
import PackageDescription

/// The simulator's hot loops read `final class` storage millions of times per run; dynamic
/// exclusivity checks cost a third of the run time there. The model is single-threaded per run, so
/// the checks are turned off in the library modules (they stay on in tests' debug builds of callers).
let hotPath: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked"])]

let package = Package(
    name: "kfsim",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "kfsim", targets: ["kfsim"]),
        .library(name: "KFExperiments", targets: ["KFExperiments"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // GSL (random variates, statistics, fitting) through pkg-config `gsl`.
        .systemLibrary(
            name: "CGSL",
            pkgConfig: "gsl",
            providers: [.apt(["libgsl-dev"])]
        ),
        // The engine only: time, the event queue, timers, stop policy, random streams, distributions.
        .target(
            name: "KFEngine",
            dependencies: ["CGSL", .product(name: "HeapModule", package: "swift-collections")]
        ),
        // Statistics, least squares and curve fits (GSL) for results.
        .target(name: "KFAnalysis", dependencies: ["CGSL"]),
        // Quantities, nodes, pods, namespaces, quota, CPU sharing.
        .target(name: "KFCluster", dependencies: ["KFEngine"], swiftSettings: hotPath),
        // The kube-scheduler framework, its plugins and queue.
        .target(name: "KFScheduler", dependencies: ["KFCluster"], swiftSettings: hotPath),
        // The control plane of a run: engine, cluster, scheduler, kubelets, recorder and the controllers' context.
        .target(name: "KFControlPlane", dependencies: ["KFScheduler"], swiftSettings: hotPath),
        // Reading scenario values: located errors, durations, distributions, pod templates.
        .target(name: "KFConfig", dependencies: ["KFCluster", "Yams"]),
        // Workload kinds' controllers (pods, Jobs, ParallelFor, trace replay, TFJobs) and training.
        .target(
            name: "KFWorkloads",
            dependencies: ["KFControlPlane", "KFConfig", .product(name: "DequeModule", package: "swift-collections"),
                           .product(name: "HeapModule", package: "swift-collections")],
            swiftSettings: hotPath
        ),
        // Scenario files: YAML, validation, overrides.
        .target(name: "KFScenario", dependencies: ["KFWorkloads", "KFConfig", "Yams"]),
        // The one system call Foundation lacks: swapping an output folder in atomically.
        .target(name: "CSystem"),
        // Runs, metrics, outputs.
        .target(name: "KFExperiments", dependencies: ["KFScenario", "KFConfig", "KFAnalysis", "CSystem"]),
        .executableTarget(
            name: "kfsim",
            dependencies: ["KFExperiments", "CSystem", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .target(name: "KFTestSupport", path: "Tests/KFTestSupport"),
        .testTarget(name: "KFEngineTests", dependencies: ["KFEngine"]),
        .testTarget(name: "KFAnalysisTests", dependencies: ["KFAnalysis"]),
        .testTarget(name: "KFClusterTests", dependencies: ["KFCluster"]),
        .testTarget(name: "KFSchedulerTests", dependencies: ["KFScheduler"]),
        .testTarget(name: "KFControlPlaneTests", dependencies: ["KFControlPlane"]),
        .testTarget(name: "KFWorkloadsTests", dependencies: ["KFWorkloads"]),
        .testTarget(name: "KFScenarioTests", dependencies: ["KFScenario", "KFTestSupport"]),
        .testTarget(name: "KFExperimentsTests", dependencies: ["KFExperiments", "KFTestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["KFExperiments", "kfsim", "KFTestSupport"]),
    ]
)
