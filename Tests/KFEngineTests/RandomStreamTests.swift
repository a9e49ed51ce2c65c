import CGSL
import Testing
@testable import KFEngine

@Suite struct RandomStreamTests {
    @Test func sameSeedAndNameGiveTheSameNumbers() {
        let a = RandomStream(seed: 42, name: "arrivals")
        let b = RandomStream(seed: 42, name: "arrivals")
        for _ in 0..<100 { #expect(a.uniform() == b.uniform()) }
    }

    /// The inlined MT19937 draws are GSL's: the same integers as `gsl_rng_uniform_int` on a generator
    /// seeded alike, across state refills and interleaved with other variates.
    @Test func inlinedIntegerDrawsAreGSLs() {
        #expect(RandomStream.inlinedDrawsMatchGSL)
        let stream = RandomStream(seed: 7, name: "ties")
        let gsl = gsl_rng_alloc(kfsim_rng_mt19937())
        defer { gsl_rng_free(gsl) }
        gsl_rng_set(gsl, UInt(stream.derivedSeed))
        var differences = 0
        for i in 0..<5000 {
            let n = 2 + (i * 7919) % 3000
            if stream.uniformInt(below: n) != Int(gsl_rng_uniform_int(gsl, UInt(n))) { differences += 1 }
            if i % 97 == 0 && stream.uniform() != gsl_rng_uniform(gsl) { differences += 1 }
        }
        #expect(differences == 0)
    }

    /// `drawsZero(below:)` answers `uniformInt(below:) == 0` and leaves the stream where it would.
    @Test func zeroDrawsAreIntegerDraws() {
        let a = RandomStream(seed: 3, name: "ties"), b = RandomStream(seed: 3, name: "ties")
        var zeros = 0
        for i in 0..<20_000 {
            let n = 2 + i % 5000 + (i % 7 == 0 ? 4_000_000_000 : 0)
            let zero = a.drawsZero(below: n)
            #expect(zero == (b.uniformInt(below: n) == 0))
            if zero { zeros += 1 }
        }
        #expect(zeros > 10)
        #expect(a.uniform() == b.uniform())
    }

    /// `lastZeroDraw` makes the draws a loop of `uniformInt` makes, across refills and rejections.
    @Test func reservoirDrawsAreIntegerDraws() {
        let a = RandomStream(seed: 5, name: "ties"), b = RandomStream(seed: 5, name: "ties")
        for k in 0..<400 {
            let first = 2 + k % 3 + (k % 11 == 0 ? 4_294_960_000 : 0), last = first + k % 300 + (k % 5 == 0 ? 5000 : 0)
            var expected: Int?
            for n in first...last where b.uniformInt(below: n) == 0 { expected = n }
            #expect(a.lastZeroDraw(from: first, through: last) == expected, "\(first)...\(last)")
        }
        #expect(a.lastZeroDraw(from: 3, through: 2) == nil)
        #expect(a.uniform() == b.uniform())
    }

    @Test func otherSeedOrNameGiveOtherNumbers() {
        let a = RandomStream(seed: 42, name: "arrivals")
        let b = RandomStream(seed: 43, name: "arrivals")
        let c = RandomStream(seed: 42, name: "durations")
        let xa = (0..<10).map { _ in a.uniform() }
        #expect(xa != (0..<10).map { _ in b.uniform() })
        #expect(xa != (0..<10).map { _ in c.uniform() })
    }

    @Test func addingAConsumerDoesNotShiftAnotherStream() {
        let one = RandomStreams(seed: 9)
        let before = (0..<5).map { _ in one.stream("arrivals").uniform() }
        let two = RandomStreams(seed: 9)
        _ = (0..<50).map { _ in two.stream("newConsumer").uniform() }
        let after = (0..<5).map { _ in two.stream("arrivals").uniform() }
        #expect(before == after)
    }

    @Test(arguments: [
        Distribution.constant(3), .uniform(low: 1, high: 5), .exponential(mean: 2), .normal(mean: 10, sd: 1),
        .lognormal(mu: 1, sigma: 0.25), .gamma(shape: 2, scale: 1.5), .weibull(shape: 2, scale: 1),
        .pareto(shape: 3, scale: 1), .empirical(values: [1, 2, 6], weights: [1, 1, 2]),
    ])
    func sampleMeansMatchTheDistributionMean(_ d: Distribution) {
        let s = RandomStream(seed: 1, name: "test")
        let n = 200_000
        var sum = 0.0
        for _ in 0..<n { sum += d.sample(s) }
        let mean = sum / Double(n)
        #expect(abs(mean - d.mean) <= 0.02 * d.mean, "sample mean \(mean) vs \(d.mean)")
    }

    @Test func variatesAreNeverNegative() {
        let s = RandomStream(seed: 3, name: "x")
        for _ in 0..<10_000 { #expect(Distribution.normal(mean: 0.1, sd: 1).sample(s) >= 0) }
    }
}
