import Foundation
import KFScenario
import KFControlPlane
import KFWorkloads
import Testing
@testable import KFExperiments

@Suite struct SweepTests {
    static let scenario = Paths.scenario("container-count.yaml")
    static let n = "workloads.fanout.containers"

    func plan(_ values: String = "2,12,13", seeds: [UInt64] = [1, 2, 3], extra: [SweepDefinition.Parameter] = []) throws -> SweepPlan {
        try SweepPlan(scenarioPath: SweepTests.scenario, fixedOverrides: [],
                      parameters: [.init(key: SweepTests.n, values: try SweepDefinition.values(values).get())] + extra,
                      seeds: seeds, baseline: nil)
    }

    func files(_ dir: String) throws -> [String: String] {
        var out: [String: String] = [:]
        for f in try FileManager.default.contentsOfDirectory(atPath: dir) { out[f] = try String(contentsOfFile: "\(dir)/\(f)", encoding: .utf8) }
        return out
    }

    @Test func jobsOneAndTwoGiveIdenticalFiles() throws {
        let p = try plan()
        let a = Paths.temporary(), b = Paths.temporary()
        try SweepRunner(plan: p, directory: a, jobs: 1, shard: nil, resume: false, showProgress: false).run()
        try SweepRunner(plan: p, directory: b, jobs: 2, shard: nil, resume: false, showProgress: false).run()
        let fa = try files(a)
        #expect(fa.keys.sorted() == [".kfsim-output", "points.csv", "runs.csv", "sweep.json"])
        #expect(fa == (try files(b)))
        #expect(fa["runs.csv"]!.split(separator: "\n").count == 1 + 9)
    }

    @Test func threeShardsMergeToTheUnshardedFiles() throws {
        let p = try plan(extra: [.init(key: "scheduler.tieBreak", values: ["random", "first"])])
        let whole = Paths.temporary()
        try SweepRunner(plan: p, directory: whole, jobs: 2, shard: nil, resume: false, showProgress: false).run()
        var shards: [String] = []
        for i in 0..<3 {
            let d = Paths.temporary()
            try SweepRunner(plan: p, directory: d, jobs: 1, shard: Shard(index: i, count: 3), resume: false, showProgress: false).run()
            shards.append(d)
        }
        let merged = Paths.temporary()
        _ = try SweepMerge.merge(plan: try SweepPlan.fromShard(shards[0], scenarioPath: SweepTests.scenario), shards: shards, into: merged)
        #expect(try files(merged) == (try files(whole)))
        // A missing shard is refused, naming what is missing.
        #expect(throws: SweepError.self) { try SweepMerge.merge(plan: p, shards: Array(shards.prefix(2)), into: Paths.temporary()) }
    }

    @Test func resumeAfterATornJournalFinishesWithTheSameFiles() throws {
        let p = try plan()
        let reference = Paths.temporary()
        try SweepRunner(plan: p, directory: reference, jobs: 2, shard: nil, resume: false, showProgress: false).run()
        let rows = try String(contentsOfFile: "\(reference)/runs.csv", encoding: .utf8).split(separator: "\n").dropFirst().map { String($0) + "\n" }
        // An interrupted sweep: header, runs 0, 4 and 7 recorded, a torn line, a line with a bad checksum.
        let dir = Paths.temporary()
        var journal = "kfsim-sweep-journal \(p.identity)\n"
        for i in [0, 4, 7] { journal += "\(i)\t\(rows[i].dropLast())\t\(fnv1aHex(rows[i]))\n" }
        journal += "2\t\(rows[2].dropLast())\t0000000000000000\n"
        journal += "5\t\(rows[5].prefix(10))"
        try journal.write(toFile: "\(dir)/.sweep-journal", atomically: true, encoding: .utf8)
        // Without --resume the runner refuses to start over it.
        #expect(throws: SweepError.self) { try SweepRunner(plan: p, directory: dir, jobs: 1, shard: nil, resume: false, showProgress: false).run() }
        #expect(!FileManager.default.fileExists(atPath: "\(dir)/runs.csv"))
        try SweepRunner(plan: p, directory: dir, jobs: 2, shard: nil, resume: true, showProgress: false).run()
        #expect(try files(dir) == (try files(reference)))
    }

    @Test func aJournalOfAnotherSweepIsRefused() throws {
        let dir = Paths.temporary()
        try "kfsim-sweep-journal 0123456789abcdef\n".write(toFile: "\(dir)/.sweep-journal", atomically: true, encoding: .utf8)
        #expect(throws: SweepError.self) { try SweepRunner(plan: try plan(), directory: dir, jobs: 1, shard: nil, resume: true, showProgress: false).run() }
    }

    @Test func pairedComparisonsAgainstABaseline() throws {
        let p = try plan("4,13", seeds: [1, 2, 3, 4], extra: [.init(key: "scheduler.tieBreak", values: ["random", "first"])])
        let dir = Paths.temporary()
        let table = try SweepRunner(plan: p, directory: dir, jobs: 2, shard: nil, resume: false, showProgress: false).run()
        let csv = try #require(table.comparisonsCSV)
        let lines = csv.split(separator: "\n")
        // Keys in runs.csv's order, then the baseline named.
        #expect(lines[0] == "workloads.fanout.containers,scheduler.tieBreak,baseline_key,baseline_value,metric,n,mean_diff,ci95_low,ci95_high,baseline_mean,relative_diff,significant,flag")
        #expect(lines.count == 1 + 2 * Summary.metricNames.count)
        #expect(lines.contains("4,first,scheduler.tieBreak,random,jobs,4,0.000000,0.000000,0.000000,1.000000,0.000000,false,"))
        #expect(FileManager.default.fileExists(atPath: "\(dir)/comparisons.csv"))
    }

    @Test func parameterAndSeedText() throws {
        #expect(try SweepDefinition.values("1:5:2").get() == ["1", "3", "5"])
        #expect(try SweepDefinition.values("0.5:1.5:0.5").get() == ["0.5", "1", "1.5"])
        #expect(try SweepDefinition.values("a,b").get() == ["a", "b"])
        #expect(throws: SweepTextError.self) { try SweepDefinition.values("1:5:0").get() }
        #expect(throws: SweepTextError.self) { try SweepDefinition.values("a,,b").get() }
        #expect(try SweepDefinition.seeds("3..5").get() == [3, 4, 5])
        #expect(try SweepDefinition.seeds("7,2").get() == [7, 2])
        #expect(try SweepDefinition.seeds("42-44").get() == [42, 43, 44])  // the same range as 42..44 (fill's older form)
        #expect(throws: SweepTextError.self) { try SweepDefinition.seeds("4-").get() }
        #expect(throws: SweepTextError.self) { try SweepDefinition.seeds("5..3").get() }
        // A count is that many seeds, 1 to N (not "seed N").
        #expect(try SweepDefinition.seeds("5").get() == [1, 2, 3, 4, 5])
        #expect(try SweepDefinition.seedList("5").get() == [5])
        #expect(throws: SweepTextError.self) { try SweepDefinition.seeds("0").get() }
        // Non-finite or huge ranges are refused before any integer conversion.
        for bad in ["0:inf:1", "0:1e308:1", "0:1:1e-300", "nan:1:1", "0:1:inf"] {
            #expect(throws: SweepTextError.self, "\(bad)") { try SweepDefinition.values(bad).get() }
        }
        #expect(Shard.parse("2/3") == Shard(index: 2, count: 3))
        #expect(Shard.parse("3/3") == nil)
        #expect(Shard.indexFromEnvironment(["JOB_COMPLETION_INDEX": "4"]) == 4)
        #expect(Shard.indexFromEnvironment(["SLURM_ARRAY_TASK_ID": "5", "SLURM_ARRAY_TASK_MIN": "1"]) == 4)
        let summary = Summary(jobs: [], pods: PodRows([]), utilization: .init(), stopTime: 0)
        #expect(Summary.metricNames == summary.metrics.map(\.0))
    }

    @Test func aScenarioSweepSectionGivesDefaults() throws {
        let text = MalformedScenarioFixture.base + """
sweep:
  parameters:
    - {key: cluster.nodePools.w.count, range: {start: 1, stop: 3}}
  seeds: 1..2
  baseline: {key: cluster.nodePools.w.count, value: "1"}

"""
        let s = try ScenarioLoader.parse(text: text, file: "t.yaml")
        #expect(s.sweep?.parameters == [.init(key: "cluster.nodePools.w.count", values: ["1", "2", "3"])])
        #expect(s.sweep?.seeds == [1, 2])
    }
}

/// A minimal valid scenario text.
enum MalformedScenarioFixture {
    static let base = """
apiVersion: kfsim.io/v1alpha1
kind: Scenario
spec:
  cluster:
    nodePools:
      - {name: w, count: 2, allocatable: {cpu: "4", memory: 8Gi}}
  workloads:
    - {name: p, kind: Pod, work: {duration: 10s}, template: {spec: {containers: [{name: c}]}}}

"""
}

/// Linked keys (`--zip`): their values vary together instead of forming a product.
@Suite struct LinkedSweepKeyTests {
    @Test func zippedKeysVaryTogether() throws {
        let dir = Paths.temporary()
        try MalformedScenarioFixture.base.write(toFile: "\(dir)/s.yaml", atomically: true, encoding: .utf8)
        let plan = try SweepPlan(scenarioPath: "\(dir)/s.yaml", fixedOverrides: [],
                                 parameters: [.init(key: "cluster.nodePools.w.count", values: ["1", "2", "3"]),
                                              .init(key: "scheduler.tieBreak", values: ["first", "random"]),
                                              .init(key: "cluster.nodePools.w.allocatable.cpu", values: ["8", "4", "2"])],
                                 seeds: [1], baseline: nil, links: [["cluster.nodePools.w.count", "cluster.nodePools.w.allocatable.cpu"]])
        #expect(plan.points == [["1", "first", "8"], ["1", "random", "8"], ["2", "first", "4"], ["2", "random", "4"],
                                ["3", "first", "2"], ["3", "random", "2"]])
        #expect(throws: SweepError.self) {
            try SweepPlan(scenarioPath: "\(dir)/s.yaml", fixedOverrides: [],
                          parameters: [.init(key: "cluster.nodePools.w.count", values: ["1", "2"]),
                                       .init(key: "scheduler.tieBreak", values: ["first", "random", "first"])],
                          seeds: [1], baseline: nil, links: [["cluster.nodePools.w.count", "scheduler.tieBreak"]])
        }
    }
}
