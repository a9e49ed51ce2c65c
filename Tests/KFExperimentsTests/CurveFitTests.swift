import KFAnalysis
import KFEngine
import Testing
@testable import KFExperiments

@Suite struct CurveFitTests {
    let ns: [Double] = [1, 2, 4, 8, 12, 16, 24, 32, 48, 64]

    @Test func recoversAmdahlsSerialFraction() throws {
        let s = ns.map { ScalingLaws.amdahl($0, serialFraction: 0.1) }
        let fit = try ScalingLaws.fitAmdahl(n: ns, speedup: s)
        #expect(abs(fit.serialFraction - 0.1) < 1e-6)
        #expect(fit.fit.rSquared > 0.999999)
    }

    @Test func recoversUSLParametersAndPeak() throws {
        let s = ns.map { ScalingLaws.usl($0, sigma: 0.05, kappa: 0.002) }
        let fit = try ScalingLaws.fitUSL(n: ns, speedup: s)
        #expect(abs(fit.sigma - 0.05) < 1e-6)
        #expect(abs(fit.kappa - 0.002) < 1e-7)
        #expect(abs(ScalingLaws.uslPeak(sigma: fit.sigma, kappa: fit.kappa) - (0.95 / 0.002).squareRoot()) < 1e-3)
    }

    @Test func tooFewPointsIsAnError() {
        #expect(throws: NonlinearLeastSquares.FitError.self) {
            try NonlinearLeastSquares.fit(x: [1], y: [1], initial: [0.1, 0.1]) { x, t in t[0] * x + t[1] }
        }
    }
}
