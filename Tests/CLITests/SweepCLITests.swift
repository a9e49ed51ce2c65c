import Foundation
import Testing
import KFTestSupport

/// Sweeps through the real binary: kill -9 in the middle, then --resume, equals an uninterrupted run.
@Suite struct SweepCLITests {
    static let args = ["sweep", "scenarios/container-count.yaml", "--param", "workloads.fanout.containers=1:40:1",
                       "--seeds", "1..8", "--jobs", "2", "--quiet"]

    func files(_ dir: String) throws -> [String: Data] {
        var out: [String: Data] = [:]
        for f in try FileManager.default.contentsOfDirectory(atPath: dir) { out[f] = FileManager.default.contents(atPath: "\(dir)/\(f)") }
        return out
    }

    @Test func killNineThenResumeEqualsAnUninterruptedSweep() throws {
        let reference = Scratch.path("sweep")
        #expect(try CLITests.run(SweepCLITests.args + ["--out", reference]).status == 0)

        let dir = Scratch.path("sweep")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: CLITests.binary)
        p.arguments = SweepCLITests.args + ["--out", dir]
        p.currentDirectoryURL = CLITests.root
        try p.run()
        // Wait until some runs are journaled, then kill -9.
        let journal = "\(dir)/.sweep-journal"
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if let d = FileManager.default.contents(atPath: journal), d.filter({ $0 == 10 }).count > 20 { break }
            usleep(2000)
        }
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        if p.terminationReason == .uncaughtSignal {
            // Interrupted: no runs.csv pretends to be complete.
            #expect(!FileManager.default.fileExists(atPath: "\(dir)/runs.csv"))
            let refused = try CLITests.run(SweepCLITests.args + ["--out", dir])
            #expect(refused.status == 2)
            #expect(refused.stderr.contains("holds an interrupted sweep"))
        }
        let resumed = try CLITests.run(SweepCLITests.args + ["--out", dir, "--resume"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(try files(dir) == (try files(reference)))
    }

    @Test func shardsFromTheEnvironmentAndMerge() throws {
        let args = ["sweep", "scenarios/container-count.yaml", "--param", "workloads.fanout.containers=2,13", "--seeds", "1..3", "--quiet"]
        let whole = Scratch.path("sweep")
        #expect(try CLITests.run(args + ["--out", whole]).status == 0)
        var dirs: [String] = []
        for i in 0..<2 {
            let d = Scratch.path("shard")
            let r = try CLITests.run(args + ["--shard", "\(i)/2", "--out", d])
            #expect(r.status == 0, "\(r.stderr)")
            dirs.append(d)
        }
        let merged = Scratch.path("merged")
        let m = try CLITests.run(["merge", "scenarios/container-count.yaml"] + dirs + ["--out", merged])
        #expect(m.status == 0, "\(m.stderr)")
        #expect(try files(merged) == (try files(whole)))
        let bad = try CLITests.run(args + ["--shard", "2"])
        #expect(bad.status == 2)
        #expect(bad.stderr == "error: --shard 2 needs JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID in the environment\n")
    }
}
