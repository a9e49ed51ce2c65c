import KFCluster
import Testing
@testable import KFScheduler

/// The class-score memo stays within its budget, however many shapes meet however many classes.
@Suite struct ClassScoreMemoTests {
    @Test func manyShapesOnManyClassesStayWithinTheBudget() {
        let memo = ClassScoreMemo()
        let profile = ObjectIdentifier(memo)
        for k in 0..<60 {
            let r = Resources(cpu: Int64(100 * (k + 1)), memory: 0, gpu: 0)
            let e = memo.entry(ClassScoreMemo.Key(profile: profile, scorers: 3, requests: r, scoringRequests: r), classes: 100_000)
            #expect(e.totals.count >= 100_000)
            #expect(memo.kept <= ClassScoreMemo.maxTotals)
            e.totals[k] = Int64(k)
        }
        // A key seen again keeps what it learnt, unless the budget made the memo forget it.
        let r = Resources(cpu: 6000, memory: 0, gpu: 0)
        let last = memo.entry(ClassScoreMemo.Key(profile: profile, scorers: 3, requests: r, scoringRequests: r), classes: 100_000)
        #expect(last.totals[59] == 59)
        #expect(last.totals[0] == ClassScoreMemo.unknown)
    }
}
