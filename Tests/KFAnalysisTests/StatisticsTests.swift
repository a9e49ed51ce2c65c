import Testing
@testable import KFAnalysis

@Suite struct StatisticsTests {
    @Test func summaryOfAKnownSample() {
        let s = SampleSummary([4, 1, 3, 2, 5])
        #expect(s.count == 5)
        #expect(s.mean == 3)
        #expect(abs(s.sd - 1.5811388300841898) < 1e-12)
        #expect(s.p50 == 3)
        #expect(abs(s.p95 - 4.8) < 1e-12)
        #expect(s.min == 1 && s.max == 5)
    }

    @Test func studentTConfidenceInterval() {
        // n = 5, sd = sqrt(2.5): t(0.975, 4) = 2.7764451051977987.
        let s = SampleSummary([1, 2, 3, 4, 5])
        #expect(abs(s.confidenceHalfWidth() - 2.7764451051977987 * 1.5811388300841898 / 5.0.squareRoot()) < 1e-9)
    }

    @Test func emptyAndSingleSamples() {
        #expect(SampleSummary([]).mean == 0)
        #expect(SampleSummary([7]).confidenceHalfWidth() == 0)
    }
}
