import KFEngine
import Testing
@testable import KFCluster

@Suite struct CPUSharingTests {
    @Test func underSubscribedNodeGivesEveryoneItsCap() {
        #expect(CPUSharing.rates(caps: [1, 2, 0.5], weights: [1000, 500, 100], capacity: 8) == [1, 2, 0.5])
    }

    @Test func overSubscribedNodeSharesByRequest() {
        // 4 cores, two containers wanting 4 each, requests 1000m and 3000m: 1 and 3 cores.
        #expect(CPUSharing.rates(caps: [4, 4], weights: [1000, 3000], capacity: 4) == [1, 3])
    }

    @Test func leftoversAreRedistributed() {
        // Capacity 6; caps 1, 5, 5 with equal weights: fair share 2 each, the first needs only 1,
        // so the other two split 5 -> 2.5 each.
        #expect(CPUSharing.rates(caps: [1, 5, 5], weights: [1, 1, 1], capacity: 6) == [1, 2.5, 2.5])
    }

    @Test func limitsCapAndWeightsMatterOnlyWhenContended() {
        // Capacity 4: caps 0.5 (limited), 4, 4; weights 100, 100, 300 -> 0.5, then 3.5 split 1:3.
        let r = CPUSharing.rates(caps: [0.5, 4, 4], weights: [100, 100, 300], capacity: 4)
        #expect(r[0] == 0.5)
        #expect(abs(r[1] - 0.875) < 1e-12 && abs(r[2] - 2.625) < 1e-12)
    }

    @Test func ratesNeverExceedCapacityOrCaps() {
        // Seeded, so a failure replays.
        let g = RandomStream(seed: 2024, name: "cpu-sharing-test")
        for _ in 0..<500 {
            let n = 1 + g.uniformInt(below: 12)
            let caps = (0..<n).map { _ in g.uniform(low: 0.1, high: 8) }
            let weights = (0..<n).map { _ in g.uniform(low: 2, high: 4000) }
            let capacity = g.uniform(low: 1, high: 16)
            let r = CPUSharing.rates(caps: caps, weights: weights, capacity: capacity)
            #expect(r.reduce(0, +) <= max(capacity, caps.reduce(0, +)) + 1e-9)
            #expect(r.reduce(0, +) >= min(capacity, caps.reduce(0, +)) - 1e-9)
            for i in 0..<n { #expect(r[i] <= caps[i] + 1e-12 && r[i] >= 0) }
        }
    }
}
