import Testing
@testable import KFAnalysis

@Suite struct LeastSquaresTests {
    @Test func nnlsMatchesUnconstrainedWhenFeasible() {
        // y = 2 + 3x exactly.
        let rows = (0..<5).map { [1.0, Double($0)] }
        let s = NonNegativeLeastSquares.solve(rows: rows, targets: (0..<5).map { 2 + 3 * Double($0) })
        #expect(abs(s.coefficients[0] - 2) < 1e-9 && abs(s.coefficients[1] - 3) < 1e-9)
        #expect(s.residualSumOfSquares < 1e-18)
    }

    @Test func nnlsClampsANegativeCoefficient() {
        // Targets 1, 0, -1 on columns [1, x]: unconstrained slope -1; with θ >= 0 the best is θ = (0, 0)
        // or a constant: the constant 0 (mean of targets) gives RSS 2, slope 0 forced.
        let rows: [[Double]] = [[1, 0], [1, 1], [1, 2]]
        let s = NonNegativeLeastSquares.solve(rows: rows, targets: [1, 0, -1])
        #expect(s.coefficients[1] == 0)
        #expect(abs(s.coefficients[0] - 0) < 1e-12)
        #expect(abs(s.residualSumOfSquares - 2) < 1e-12)
    }
}
