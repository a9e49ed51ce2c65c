import Foundation
import Testing
import KFTestSupport

/// Every crash, hang and silent acceptance found by attacking kfsim with mutated scenarios (issue 8),
/// pinned: each is refused with a location (exit 2) or runs to a bounded end (exit 0 or 1).
@Suite struct BadInputTests {
    static let base = """
apiVersion: kfsim.io/v1alpha1
kind: Scenario
metadata: {name: bad-input}
spec:
  cluster:
    images: [{name: "python:3.11", size: 1Mi}]
    nodePools:
      - {name: w, count: 2, allocatable: {cpu: "4", memory: 8Gi}}
  namespaces:
    - name: team
      limitRange: {default: {cpu: "1", memory: 1Gi}, defaultRequest: {cpu: "1", memory: 1Gi}}
  workloads:
    - {name: p, kind: Job, namespace: team, completions: 3, parallelism: 3, arrivals: {count: 3, interArrival: 1s},
       work: {duration: 10s}, template: {spec: {containers: [{name: c, image: "python:3.11"}]}}}

"""

    /// A fresh folder with `base.yaml` (and any other files).
    static func folder(_ files: [String: String] = [:]) throws -> String {
        try Scratch.folder("bad", files: ["base.yaml": base].merging(files) { _, given in given })
    }

    /// Runs `kfsim run` on `scenario` in `dir` with `--set` values.
    static func run(_ dir: String, _ sets: [String], scenario: String = "base.yaml") throws -> (status: Int32, stdout: String, stderr: String) {
        try CLITests.run(["run", "\(dir)/\(scenario)", "--out", "\(dir)/out", "--quiet"] + sets.flatMap { ["--set", $0] })
    }

    /// Values that trapped (arithmetic overflow), stretched time without bound or looped: refused,
    /// located at the `--set` path, with the accepted range.
    @Test(arguments: [
        ("cluster.nodePools.w.allocatable.cpu=1e15", "allocatable.cpu: must be at most 1000000 cores"),
        ("workloads.p.template.spec.containers.c.resources.limits.cpu=1e15", "limits.cpu: must be at most 1000000 cores"),
        ("namespaces.team.limitRange.default.memory=1E", "limitRange.default.memory: must be at most 4398046511104"),
        ("cluster.nodePools.w.allocatable.memory=65Ti", "allocatable.memory: must be at most 70368744177664"),
        ("cluster.nodePools.w.allocatable.nvidia\\.com/gpu=9e15", "must be at most 1000000"),
        ("workloads.p.work.duration=1e300", "work.duration: must be at most 1e9 s"),
        ("latencies.scheduling=1e300", "latencies.scheduling: must be at most 1e9 s"),
        ("workloads.p.work.duration=nan", "'nan' is not a duration"),
        ("workloads.p.arrivals.interArrival=inf", "'inf' is not a duration"),
        ("horizon=1e300", "horizon: must be at most 1e9 s"),
        ("outputs.sampleInterval=1us", "sampleInterval: must be 0 (no samples) or at least 1ms"),
        ("workloads.p.arrivals.count=10000000", "arrivals.count: must be in 0...1000000"),
        ("workloads.p.completions=1000000", "completions: must be in 1...100000"),
        ("cluster.nodePools.w.count=100000000", "count: must be in 0...100000"),
    ])
    func refusedWithTheirPath(_ set: String, _ message: String) throws {
        let dir = try Self.folder()
        let r = try Self.run(dir, [set])
        #expect(r.status == 2, "\(set): \(r.stderr)")
        #expect(r.stderr.hasPrefix("error: --set spec."), "\(r.stderr)")
        #expect(r.stderr.contains(message), "\(r.stderr)")
    }

    /// Silent acceptances: duplicate container names are refused; training jobs larger than every node
    /// end with a detail that says so.
    @Test func silentAcceptancesSayWhy() throws {
        let dir = try Self.folder()
        let twice = try Self.run(dir, ["workloads.p.template.spec.containers[+]={name: c}"])
        #expect(twice.status == 2 && twice.stderr.contains("container name 'c' is used twice in this pod"), "\(twice.stderr)")
        for policy in ["gang", "affinity", "autoscaling", "optimus"] {
            let r = try CLITests.run(["run", "scenarios/ps-training/ps-training.yaml", "--out", "\(dir)/tf-\(policy)", "--quiet",
                                      "--set", "workloads.jobs.policy=\(policy)", "--set", "cluster.nodePools.node.allocatable.cpu=1",
                                      "--set", "workloads.jobs.arrivals.count=2"])
            #expect(r.status == 1 && r.stderr.contains("nothing ran"), "\(policy): \(r.stderr)")
            let training = try String(contentsOfFile: "\(dir)/tf-\(policy)/training.csv", encoding: .utf8)
            #expect(training.contains("fits on no node: it can never start"), "\(policy): \(training)")
        }
    }

    /// The openb replay at a 1 s interval (it passed 2.8 GB): the series stops at its hard cap, thinned.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: CLITests.root.appendingPathComponent("../shared/data/alibaba-openb").path)))
    func openbAtOneSecondStaysBounded() throws {
        let dir = try Self.folder()
        let r = try CLITests.run(["run", "scenarios/openb-default.yaml", "--out", "\(dir)/openb", "--quiet",
                                  "--set", "outputs.sampleInterval=1s", "--set", "workloads.openb.limit=300"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("warning: timeseries.csv reached 1000000 samples and was thinned"), "\(r.stderr)")
        let rows = try String(contentsOfFile: "\(dir)/openb/timeseries.csv", encoding: .utf8).split(separator: "\n").count - 1
        #expect(rows <= 1_000_000 && rows >= 500_000, "\(rows)")
    }

    /// Times that stretch a run: it ends, with a time series of bounded size.
    @Test func stretchedTimeEndsWithABoundedTimeSeries() throws {
        let dir = try Self.folder()
        // An inter-arrival of 1e7 s: 2e7 s simulated, a few thousand rows (default cap 4,096).
        let slow = try Self.run(dir, ["workloads.p.arrivals.interArrival=1e7"])
        #expect(slow.status == 0, "\(slow.stderr)")
        let rows = try String(contentsOfFile: "\(dir)/out/timeseries.csv", encoding: .utf8).split(separator: "\n").count - 1
        #expect(rows >= 2048 && rows <= 4096, "\(rows) rows")
        // An image pulled at 1 B/s (1 MiB: 12 simulated days).
        let pull = try Self.run(dir, ["cluster.nodePools.w.imagePullBandwidth=1"])
        #expect(pull.status == 0, "\(pull.stderr)")
        // An explicit 1 s interval and cap of 1,000 rows over 2e6 s: thinned, with a warning.
        let dense = try Self.run(dir, ["outputs.sampleInterval=1s", "outputs.maxSamples=1000", "workloads.p.arrivals.interArrival=1e6"])
        #expect(dense.status == 0, "\(dense.stderr)")
        #expect(dense.stderr.contains("warning: timeseries.csv reached 1000 samples and was thinned"), "\(dense.stderr)")
    }

    /// Training inputs that looped forever or were accepted silently.
    @Test func trainingInputsAreRefused() throws {
        let manifest = """
apiVersion: kubeflow.org/v1
kind: TFJob
metadata: {name: j, annotations: {kfsim.io/model: m, kfsim.io/iterations: "ITER"}}
spec:
  tfReplicaSpecs:
    PS: {replicas: 1, template: {spec: {containers: [{name: tensorflow, resources: {requests: {cpu: "1"}}}]}}}
    Worker: {replicas: 2, template: {spec: {containers: [{name: tensorflow, resources: {requests: {cpu: "1"}}}]}}}

"""
        func scenario(_ extra: String, profile: String = "") -> String {
            """
apiVersion: kfsim.io/v1alpha1
kind: Scenario
spec:
  cluster: {nodePools: [{name: w, allocatable: {cpu: "8", memory: 8Gi}}]}
  workloads:
    - {name: t, kind: TFJob, manifests: m.yaml\(extra),
       profiles: [{model: m, modelSize: 1Mi, globalBatch: 1, computePerSample: 0.01, iterations: 10\(profile)}]}

"""
        }
        let cases: [(String, String, String, String)] = [
            ("nan", "", "", "kfsim.io/iterations must be a number in 1...1e12, got 'nan'"),
            ("inf", "", "", "kfsim.io/iterations must be a number in 1...1e12, got 'inf'"),
            ("-5", "", "", "kfsim.io/iterations must be a number in 1...1e12, got '-5'"),
            ("10", ", podTimeToFailure: 0", "", "the mean time to failure must be at least 1 s"),
            ("10", ", podTimeToFailure: 0.000001", "", "the mean time to failure must be at least 1 s"),
            ("10", "", ", minWorkers: 5, maxWorkers: 2", "minWorkers (5) must not exceed maxWorkers (2)"),
            ("10", "", ", optimus: {theta: [0, 0, 0, 0, 0]}", "theta must not be all zero"),
        ]
        for (iterations, extra, profile, message) in cases {
            let dir = try Self.folder(["m.yaml": manifest.replacingOccurrences(of: "ITER", with: iterations),
                                       "t.yaml": scenario(extra, profile: profile)])
            let r = try Self.run(dir, [], scenario: "t.yaml")
            #expect(r.status == 2, "\(message): \(r.stderr)")
            #expect(r.stderr.contains(message), "\(r.stderr)")
            #expect(r.stderr.range(of: #"^error: [^:]+:\d+:\d+: "#, options: .regularExpression) != nil, "\(r.stderr)")
        }
    }

    /// openb trace cells that overflowed or were accepted silently: refused at the cell.
    @Test func traceCellsAreRefusedAtTheirCell() throws {
        let header = "name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time\n"
        let cases: [(nodes: String, pods: String, message: String)] = [
            ("n0,64000,262144,2,P100", "p0,9223372036854775807,1024,0,0,,LS,Running,0,100,0", "pods.csv:2:4: spec.workloads[0].pods: 'cpu_milli' must be at most"),
            ("n0,64000,262144,2,P100", "p0,1000,8796093022208,0,0,,LS,Running,0,100,0", "pods.csv:2:9: spec.workloads[0].pods: 'memory_mib' must be at most"),
            ("n0,64000,262144,2,P100", "p0,1000,1024,0,0,,LS,Running,8796093022208,8796093022300,8796093022208", "'creation_time' must be at most"),
            ("n0,64000,262144,2,P100", "p0,1000,1024,0,0,,LS,Running,100,50,100", "deletion_time 50 is before scheduled_time 100"),
            ("n0,64000,262144,2,P100", "p0,1000,1024,0,0,,LS,Running,0,100,0\np0,1000,1024,0,0,,LS,Running,0,100,0", "pods.csv:3:1: spec.workloads[0].pods: duplicate pod name 'p0'"),
            ("n0,0,262144,2,P100", "p0,1000,1024,0,0,,LS,Running,0,100,0", "nodes.csv:2:4: spec.cluster.trace.nodes: a node needs some CPU, got 0"),
            // Columns count characters, not bytes (é is two bytes).
            ("n0,64000,262144,2,P100", "pé,1000,1024,x,0,,LS,Running,0,100,0", "pods.csv:2:14: spec.workloads[0].pods: 'num_gpu' must be a non-negative integer, got 'x'"),
            ("n0,64000,9223372036854775807,2,P100", "p0,1000,1024,0,0,,LS,Running,0,100,0", "nodes.csv:2:10: spec.cluster.trace.nodes: 'memory_mib' must be at most"),
        ]
        for c in cases {
            let dir = try Self.folder([
                "nodes.csv": "sn,cpu_milli,memory_mib,gpu,model\n\(c.nodes)\n", "pods.csv": header + c.pods + "\n",
                "t.yaml": "apiVersion: kfsim.io/v1alpha1\nkind: Scenario\nspec:\n  cluster: {trace: {nodes: nodes.csv}}\n"
                    + "  workloads: [{name: t, kind: Trace, pods: pods.csv}]\n",
            ])
            let r = try Self.run(dir, [], scenario: "t.yaml")
            #expect(r.status == 2, "\(c.message): \(r.stderr)")
            #expect(r.stderr.contains(c.message), "\(r.stderr)")
        }
    }

    /// Files that are not text, too large, or hold secrets: refused at 1:1 (or the bad byte) before
    /// being read whole, and never echoed.
    @Test func unusableFilesAreLocatedAndNotEchoed() throws {
        let dir = try Self.folder()
        // Not UTF-8: the byte's line and column.
        var bytes = Array(BadInputTests.base.utf8)
        bytes += [0x23, 0x20, 0xFF, 0x0A]
        try Data(bytes).write(to: URL(fileURLWithPath: "\(dir)/bad.yaml"))
        let line = BadInputTests.base.split(separator: "\n", omittingEmptySubsequences: false).count
        let bad = try Self.run(dir, [], scenario: "bad.yaml")
        #expect(bad.status == 2 && bad.stderr == "error: \(dir)/bad.yaml:\(line):3: not UTF-8 text (byte 0xff)\n", "\(bad.stderr)")
        // A large file of NULs (sparse: 300 MB): refused by its size, nothing echoed.
        _ = FileManager.default.createFile(atPath: "\(dir)/huge.yaml", contents: nil)
        let handle = try #require(FileHandle(forWritingAtPath: "\(dir)/huge.yaml"))
        try handle.truncate(atOffset: 300_000_000)
        try handle.close()
        let huge = try Self.run(dir, [], scenario: "huge.yaml")
        #expect(huge.status == 2 && huge.stderr == "error: \(dir)/huge.yaml:1:1: the file has 300000000 bytes; at most 67108864 are accepted\n",
                "\(huge.stderr)")
        // A small binary file: the NUL located.
        try Data([0x61, 0x3A, 0x00]).write(to: URL(fileURLWithPath: "\(dir)/nul.yaml"))
        let nul = try Self.run(dir, [], scenario: "nul.yaml")
        #expect(nul.status == 2 && nul.stderr == "error: \(dir)/nul.yaml:1:3: a NUL byte: this is a binary file, not text\n", "\(nul.stderr)")
        // A file named as manifests holding a secret: at most a short excerpt is quoted.
        let secret = "root:$6$" + String(repeating: "s3cr3tHashPart", count: 8) + ":19000:0:99999:7:::"
        try (secret + "\n").write(toFile: "\(dir)/shadow", atomically: true, encoding: .utf8)
        try """
apiVersion: kfsim.io/v1alpha1
kind: Scenario
spec:
  cluster: {nodePools: [{name: w, allocatable: {cpu: "4", memory: 8Gi}}]}
  workloads: [{name: j, kind: TFJob, manifests: shadow, profiles: [{model: m, modelSize: 1Mi, globalBatch: 1, computePerSample: 1, iterations: 1}]}]

""".write(toFile: "\(dir)/leak.yaml", atomically: true, encoding: .utf8)
        let leak = try Self.run(dir, [], scenario: "leak.yaml")
        #expect(leak.status == 2)
        #expect(!leak.stderr.contains(String(repeating: "s3cr3tHashPart", count: 3)), "\(leak.stderr)")
        // A YAML reader error: file:line:column first.
        try "apiVersion: [\n".write(toFile: "\(dir)/broken.yaml", atomically: true, encoding: .utf8)
        let broken = try Self.run(dir, [], scenario: "broken.yaml")
        #expect(broken.status == 2, "\(broken.stderr)")
        #expect(broken.stderr.range(of: "^error: \(dir)/broken.yaml:\\d+:\\d+: invalid YAML", options: .regularExpression) != nil, "\(broken.stderr)")
        // Argument errors exit 2, as the README says.
        let args = try CLITests.run(["run", "\(dir)/base.yaml", "--seed", "minus-one"])
        #expect(args.status == 2, "\(args.stderr)")
    }

    /// Names and folders: nothing is written outside the output folder, a planted symlink is not
    /// followed, a foreign folder is refused, a reused folder keeps no stale file.
    @Test func outputsStayInTheirFolder() throws {
        let dir = try Self.folder()
        let escape = try Self.run(dir, ["metadata.name=../../../x"])
        #expect(escape.status == 2 && escape.stderr.contains("metadata.name: '../../../x' is not a valid name"), "\(escape.stderr)")
        // A kfsim folder with a planted symlink named pods.csv: replaced as a whole, the target untouched.
        let ok = try Self.run(dir, [])
        #expect(ok.status == 0, "\(ok.stderr)")
        try "precious\n".write(toFile: "\(dir)/target.txt", atomically: true, encoding: .utf8)
        try FileManager.default.removeItem(atPath: "\(dir)/out/pods.csv")
        try FileManager.default.createSymbolicLink(atPath: "\(dir)/out/pods.csv", withDestinationPath: "\(dir)/target.txt")
        #expect(try Self.run(dir, []).status == 0)
        #expect(try String(contentsOfFile: "\(dir)/target.txt", encoding: .utf8) == "precious\n")
        let attributes = try FileManager.default.attributesOfItem(atPath: "\(dir)/out/pods.csv")
        #expect(attributes[.type] as? FileAttributeType == .typeRegular)
        // A stale file of another kind of run is gone after a run into the same folder.
        try "old\n".write(toFile: "\(dir)/out/training.csv", atomically: true, encoding: .utf8)
        #expect(try Self.run(dir, []).status == 0)
        #expect(!FileManager.default.fileExists(atPath: "\(dir)/out/training.csv"))
        let left = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.contains("staging") || $0.contains(".tmp-") }
        #expect(left.isEmpty, "\(left)")
        // A folder kfsim did not write is refused.
        try FileManager.default.createDirectory(atPath: "\(dir)/mine", withIntermediateDirectories: true)
        try "notes\n".write(toFile: "\(dir)/mine/notes.txt", atomically: true, encoding: .utf8)
        let foreign = try CLITests.run(["run", "\(dir)/base.yaml", "--out", "\(dir)/mine", "--quiet"])
        #expect(foreign.status == 2 && foreign.stderr.contains("holds files kfsim did not write (e.g. 'notes.txt')"), "\(foreign.stderr)")
    }

    /// A run interrupted by SIGTERM leaves no temporary file or staging folder.
    @Test func anInterruptedSweepLeavesNoTemporaryFiles() throws {
        let dir = try Self.folder()
        let p = Process()
        p.executableURL = URL(fileURLWithPath: CLITests.binary)
        p.arguments = ["sweep", "\(dir)/base.yaml", "--param", "workloads.p.arrivals.count=1:400:1", "--seeds", "3",
                       "--jobs", "1", "--out", "\(dir)/sweep", "--quiet"]
        p.standardError = FileHandle.nullDevice
        try p.run()
        Thread.sleep(forTimeInterval: 1.5)
        p.terminate()
        p.waitUntilExit()
        #expect(p.terminationReason == .uncaughtSignal)
        let entries = (try? FileManager.default.subpathsOfDirectory(atPath: dir)) ?? []
        #expect(!entries.contains { $0.contains(".tmp-") || $0.contains("staging") }, "\(entries)")
    }
}
