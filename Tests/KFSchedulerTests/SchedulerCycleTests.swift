import KFCluster
import Testing
@testable import KFScheduler

@Suite struct SchedulerCycleTests {
    @Test(arguments: [(50, 0, 50), (99, 0, 99), (100, 0, 100), (200, 0, 100), (1000, 0, 420), (1523, 0, 578),
                      (5000, 0, 500), (6000, 0, 300), (1000, 30, 300), (1000, 100, 1000), (300, 10, 100)])
    func numFeasibleNodesToFind(_ nodes: Int, _ percentage: Int64, _ expected: Int) {
        #expect(Scheduler.numFeasibleNodesToFind(percentage: percentage, nodes: nodes) == expected)
    }

    @Test func rotatingStartIndexAcrossCycles() throws {
        let nodes = (0..<200).map { node("n\($0)", cpu: 4000, memoryGi: 8) }
        let f = try Fixture(nodes: nodes)
        // 200 nodes -> 100 examined. First cycle: n0...n99 tie, first picks n0; start moves to 100.
        #expect(f.nodeName(f.schedule(pod("p0", cpu: 1000, memory: Fixture.gi))) == "n0")
        #expect(f.scheduler.lastScores.count == 100)
        #expect(f.nodeName(f.schedule(pod("p1", cpu: 1000, memory: Fixture.gi))) == "n100")
        #expect(f.nodeName(f.schedule(pod("p2", cpu: 1000, memory: Fixture.gi))) == "n1")
    }

    @Test func randomTieBreakIsSeededAndSpreads() throws {
        func placements(seed: UInt64) throws -> [String] {
            let f = try Fixture(nodes: (0..<8).map { node("n\($0)", cpu: 64000, memoryGi: 64) },
                                config: scoring([("NodeResourcesFit", 1)]).with(tieBreak: .random), seed: seed)
            // Requests too small to change integer scores, so every node ties every time.
            return (0..<20).map { f.nodeName(f.schedule(pod("p\($0)", cpu: 1, memory: 1))) ?? "-" }
        }
        let a = try placements(seed: 1), b = try placements(seed: 1), c = try placements(seed: 2)
        #expect(a == b)
        #expect(a != c)
        #expect(Set(a).count >= 4)
    }

    @Test func referenceModeConfiguration() {
        let r = SchedulerConfiguration.reference
        #expect(r.percentageOfNodesToScore == 100 && r.tieBreak == .first && r.backoffSeconds(attempts: 3) == 0)
    }

    @Test func backoffDoublesToTheCap() {
        let c = SchedulerConfiguration()
        #expect((1...6).map { c.backoffSeconds(attempts: $0) } == [1, 2, 4, 8, 10, 10])
    }
}

extension SchedulerConfiguration {
    func with(tieBreak: TieBreak) -> SchedulerConfiguration {
        var c = self
        c.tieBreak = tieBreak
        return c
    }
}
