import Foundation
import KFScenario
import Testing
@testable import KFExperiments

@Suite struct DeterminismTests {
    func files(seed: UInt64, overrides: [String] = []) throws -> [String: String] {
        let scenario = try ScenarioLoader.load(path: Paths.scenario("container-count.yaml"), overrides: overrides)
        let result = try Runner.run(scenario, seed: seed)
        let dir = Paths.temporary()
        try OutputWriter.write(result, to: dir)
        var out: [String: String] = [:]
        let written = OutputWriter.files + ["tasks.csv"]
        for f in written { out[f] = try String(contentsOfFile: "\(dir)/\(f)", encoding: .utf8) }
        // Nothing but the four files, the pipeline's tasks and kfsim's marker: temporary files were renamed away.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == (written + [OutputFolder.markerName]).sorted())
        return out
    }

    @Test func sameScenarioAndSeedGiveByteIdenticalFiles() throws {
        let a = try files(seed: 5, overrides: ["workloads.fanout.containers=16"])
        let b = try files(seed: 5, overrides: ["workloads.fanout.containers=16"])
        #expect(a == b)
    }

    @Test func anotherSeedChangesARandomScenario() throws {
        let a = try files(seed: 5)
        let c = try files(seed: 6)
        #expect(a["pods.csv"] != c["pods.csv"])
        #expect(a["summary.json"] != c["summary.json"])
    }

    @Test func containerCountCurveRisesThenFallsPastTheQuota() throws {
        func jct(_ n: Int) throws -> Double {
            let s = try ScenarioLoader.load(path: Paths.scenario("container-count.yaml"), overrides: ["workloads.fanout.containers=\(n)"])
            return try #require(try Runner.run(s).summary.jct.mean)
        }
        let t1 = try jct(1), t4 = try jct(4), t12 = try jct(12), t13 = try jct(13)
        #expect(t1 > 2 * t4)
        #expect(t4 > t12)
        // Past the quota (12 one-core containers), a second wave makes the step slower.
        #expect(t13 > t12)
    }
}
