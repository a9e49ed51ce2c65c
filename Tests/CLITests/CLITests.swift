import Foundation
import Testing
import KFTestSupport

/// Runs the real `kfsim` binary on real scenario files.
@Suite struct CLITests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The built binary next to the test bundle.
    static var binary: String {
        let bundle = Bundle.main.bundleURL.deletingLastPathComponent()
        for candidate in [bundle.appendingPathComponent("kfsim").path, root.appendingPathComponent(".build/debug/kfsim").path]
        where FileManager.default.isExecutableFile(atPath: candidate) {
            return candidate
        }
        return bundle.appendingPathComponent("kfsim").path
    }

    static func run(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = arguments
        p.currentDirectoryURL = root
        // Shard indices must come from the arguments here, not from a job array around the tests.
        var env = ProcessInfo.processInfo.environment
        for key in ["JOB_COMPLETION_INDEX", "SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_MIN"] { env[key] = nil }
        p.environment = env
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }

    @Test func runWritesTheFourFilesAndASummary() throws {
        let dir = Scratch.path("cli")
        let r = try CLITests.run(["run", "scenarios/container-count.yaml", "--seed", "3", "--out", dir,
                                  "--set", "workloads.fanout.containers=6"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("kfsim 0.1.0: container-count (seed 3"))
        #expect(r.stdout.contains("jobs:        1 (1 succeeded, 0 failed, 0 unfinished)"))
        for f in ["pods.csv", "jobs.csv", "timeseries.csv", "summary.json"] {
            #expect(FileManager.default.fileExists(atPath: "\(dir)/\(f)"))
        }
        let pods = try String(contentsOfFile: "\(dir)/pods.csv", encoding: .utf8)
        #expect(pods.hasPrefix("pod,namespace,owner,node,created_s,scheduled_s,started_s,finished_s,phase,attempts,reason,cpu_request_m,memory_request_bytes,gpu_request,first_failure,last_failure\n"))
        #expect(pods.split(separator: "\n").count == 1 + 6 + 1)
    }

    @Test func validateAcceptsAndRefuses() throws {
        let ok = try CLITests.run(["validate", "scenarios/container-count.yaml"])
        #expect(ok.status == 0)
        #expect(ok.stdout == "scenarios/container-count.yaml: valid (4 nodes, 2 namespaces, 1 workloads)\n")
        let bad = try CLITests.run(["validate", "scenarios/container-count.yaml", "--set", "workloads.fanout.containers=0"])
        #expect(bad.status == 2)
        #expect(bad.stderr == "error: --set spec.workloads[0].containers: must be in 1...100000, got 0\n")
    }

    @Test func malformedFilesExitNonZeroWithLocation() throws {
        let dir = try Scratch.folder("cli")
        let file = "\(dir)/bad.yaml"
        try "apiVersion: kfsim.io/v1alpha1\nkind: Scenario\nspec:\n  cluster: {nodePools: [{name: a, allocatable: {cpu: lots, memory: 1Gi}}]}\n  workloads: []\n"
            .write(toFile: file, atomically: true, encoding: .utf8)
        let r = try CLITests.run(["run", file])
        #expect(r.status == 2)
        #expect(r.stderr.hasPrefix("error: \(file):4:54: spec.cluster.nodePools[0].allocatable.cpu: 'lots' is not a Kubernetes quantity"))
        let missing = try CLITests.run(["run", "\(dir)/nope.yaml"])
        #expect(missing.status == 2)
        #expect(missing.stderr == "error: \(dir)/nope.yaml:1:1: no such file\n")
    }

    /// `kfsim fill` refuses bad arguments and a scenario without a trace with exit 2 and a message.
    @Test func fillRefusesBadInput() throws {
        let policy = try CLITests.run(["fill", "scenarios/container-count.yaml", "--policies", "Tetris"])
        #expect(policy.status == 2 && policy.stderr.contains("unknown policy 'Tetris'; accepted: FGD, BestFit"), "\(policy.stderr)")
        let seeds = try CLITests.run(["fill", "scenarios/container-count.yaml", "--seeds", "9-3"])
        #expect(seeds.status == 2 && seeds.stderr.contains("--seeds: '9-3' is not a seed range such as 1..10"), "\(seeds.stderr)")
        let order = try CLITests.run(["fill", "scenarios/container-count.yaml", "--order", "sorted"])
        #expect(order.status == 2 && order.stderr.contains("--order: 'sorted' is not one of shuffled, trace"))
        let noTrace = try CLITests.run(["fill", "scenarios/container-count.yaml", "--out", Scratch.path("fill")])
        #expect(noTrace.status == 2 && noTrace.stderr.contains("the fill experiment needs a workload of kind Trace"), "\(noTrace.stderr)")
    }

    @Test func unschedulablePodsAreReportedNotHung() throws {
        let dir = Scratch.path("cli")
        let r = try CLITests.run(["run", "scenarios/container-count.yaml", "--out", dir, "--set", "workloads.fanout.containers=1",
                                  "--set", "namespaces.kubeflow-user.limitRange.defaultRequest.cpu=9",
                                  "--set", "namespaces.kubeflow-user.limitRange.default.cpu=9"])
        // Reported, not hung, and void: nothing ran, so the exit code says so (outputs still written).
        #expect(r.status == 1)
        #expect(r.stderr.contains("error: nothing ran: none of 1 pods of 1 jobs ever started"), "\(r.stderr)")
        #expect(FileManager.default.fileExists(atPath: "\(dir)/pods.csv"))
        #expect(r.stderr.contains("exceed every node's allocatable"))
        #expect(r.stdout.contains("stopped:     stalled"))
        #expect(r.stdout.contains("fanout-0-for-0: "))
    }
}
