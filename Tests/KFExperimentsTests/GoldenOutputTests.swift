import Foundation
import KFScenario
import Testing
@testable import KFExperiments

/// Golden outputs: the shipped scenarios' output files, byte for byte, against the hashes committed in
/// `Tests/Golden/hashes.txt`. A change that moves them regenerates that file with
/// `scripts/update-golden.sh` in a commit of its own that says why.
@Suite struct GoldenOutputTests {
    /// One golden run: a shipped scenario with overrides.
    struct Case: Sendable, CustomStringConvertible {
        let name: String
        let scenario: String
        let overrides: [String]
        var needsSharedData = false
        var description: String { name }
    }

    static let policies = ["default", "gang", "coscheduling", "affinity", "autoscaling", "optimus"]

    static let cases: [Case] = [
        Case(name: "container-count-N8", scenario: "container-count.yaml", overrides: ["workloads.fanout.containers=8"]),
        Case(name: "container-count-N24", scenario: "container-count.yaml", overrides: ["workloads.fanout.containers=24"]),
    ] + policies.map {
        Case(name: "ps-training-\($0)", scenario: "ps-training/ps-training.yaml", overrides: ["workloads.jobs.policy=\($0)"])
    } + [
        Case(name: "synthetic-small", scenario: "bench-synthetic.yaml",
             overrides: ["cluster.nodePools.node.count=12", "workloads.web.arrivals.count=1500", "workloads.batch.arrivals.count=150"]),
        Case(name: "openb-reference-500", scenario: "openb-default.yaml",
             overrides: ["reference=true", "workloads.openb.pods=\(GoldenOutputTests.openbHead)"], needsSharedData: true),
    ]

    /// The first 500 pods of the openb default trace, in a temporary file at a fixed path (the path is
    /// part of the scenario's hash in `summary.json`, so it is not in the per-process scratch folder:
    /// this one file is left in the temporary folder, rewritten by every test run).
    static let openbHead: String = {
        let path = NSTemporaryDirectory() + "kfsim-golden-openb-500.csv"
        if let data = Paths.sharedData,
           let text = try? String(contentsOfFile: "\(data)/alibaba-openb/openb_pod_list_default.csv", encoding: .utf8) {
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).prefix(501)
            try? (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        }
        return path
    }()

    static let hashesPath = Paths.root.appendingPathComponent("Tests/Golden/hashes.txt").path

    /// `name/file` -> "bytes hash", from the committed file.
    static func committed() -> [String: String] {
        guard let text = try? String(contentsOfFile: hashesPath, encoding: .utf8) else { return [:] }
        var out: [String: String] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let f = line.split(separator: " ", omittingEmptySubsequences: true)
            if f.count == 3 { out[String(f[0])] = "\(f[1]) \(f[2])" }
        }
        return out
    }

    /// 64-bit FNV-1a of `data`, as 16 hex digits.
    static func fnv1a(_ data: Data) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in data { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        let s = String(h, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }

    /// Runs `c` and returns `name/file` -> "bytes hash" for every file it writes, plus the folder.
    static func run(_ c: Case) throws -> (hashes: [String: String], dir: String) {
        let scenario = try ScenarioLoader.load(path: Paths.scenario(c.scenario), overrides: c.overrides)
        let result = try Runner.run(scenario)
        let dir = Paths.temporary() + "/\(c.name)"
        try OutputWriter.write(result, to: dir)
        var out: [String: String] = [:]
        for f in try FileManager.default.contentsOfDirectory(atPath: dir).sorted() {
            let data = try Data(contentsOf: URL(fileURLWithPath: "\(dir)/\(f)"))
            out["\(c.name)/\(f)"] = "\(data.count) \(fnv1a(data))"
        }
        return (out, dir)
    }

    @Test(arguments: cases)
    func outputsMatchTheCommittedHashes(_ c: Case) throws {
        if c.needsSharedData && Paths.sharedData == nil { return }  // ../shared/data is absent: nothing to compare
        let (actual, dir) = try Self.run(c)
        let expected = Self.committed().filter { $0.key.hasPrefix("\(c.name)/") }
        #expect(!expected.isEmpty, "no golden hashes for \(c.name): run scripts/update-golden.sh")
        for key in Set(actual.keys).union(expected.keys).sorted() {
            #expect(actual[key] == expected[key], "\(key): got \(actual[key] ?? "no file"), golden \(expected[key] ?? "no file"); outputs in \(dir)")
        }
    }

    /// Regenerates `Tests/Golden/hashes.txt` when `KFSIM_UPDATE_GOLDEN=1` (scripts/update-golden.sh).
    @Test(.enabled(if: ProcessInfo.processInfo.environment["KFSIM_UPDATE_GOLDEN"] == "1"))
    func regenerate() throws {
        #expect(Paths.sharedData != nil, "golden hashes are made with ../shared/data present")
        var lines = ["# Golden outputs: <case>/<file> <bytes> <FNV-1a 64>. Regenerate with scripts/update-golden.sh,",
                     "# in a commit of its own that says why the outputs moved."]
        for c in Self.cases {
            let (hashes, _) = try Self.run(c)
            for key in hashes.keys.sorted() { lines.append("\(key) \(hashes[key]!)") }
        }
        try (lines.joined(separator: "\n") + "\n").write(toFile: Self.hashesPath, atomically: true, encoding: .utf8)
    }
}
