import Testing
@testable import KFAnalysis

@Suite struct StatisticsTests {
    @Test func summaryOfAKnownSample() {
        let s = SampleSummary([4, 1, 3, 2, 5])
        #expect(s.count == 5)
        #expect(s.mean == 3)
        #expect(abs(s.sd! - 1.5811388300841898) < 1e-12)
        #expect(s.p50 == 3)
        #expect(abs(s.p95! - 4.8) < 1e-12)
        #expect(s.min == 1 && s.max == 5)
    }

    @Test func studentTConfidenceInterval() {
        // n = 5, sd = sqrt(2.5): t(0.975, 4) = 2.7764451051977987.
        let s = SampleSummary([1, 2, 3, 4, 5])
        #expect(abs(s.confidenceHalfWidth()! - 2.7764451051977987 * 1.5811388300841898 / 5.0.squareRoot()) < 1e-9)
    }

    /// No data is no value, never 0: an empty sample has no statistics, one observation no spread and
    /// no interval.
    @Test func emptyAndSingleSamples() {
        let empty = SampleSummary([])
        #expect(empty.count == 0)
        #expect(empty.mean == nil && empty.sd == nil && empty.p50 == nil && empty.p99 == nil && empty.min == nil && empty.max == nil)
        #expect(empty.confidenceInterval() == nil)
        let one = SampleSummary([7])
        #expect(one.mean == 7 && one.p95 == 7)
        #expect(one.sd == nil && one.confidenceHalfWidth() == nil && one.confidenceInterval() == nil)
    }

    /// Missing values (nil, NaN) are left out, not counted as 0.
    @Test func missingValuesAreLeftOut() {
        let s = SampleSummary(present: [2, nil, 4, .nan])
        #expect(s.count == 2 && s.mean == 3)
    }
}
