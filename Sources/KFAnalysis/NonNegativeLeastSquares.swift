import CGSL

/// Linear least squares with non-negative coefficients: minimise ‖Aθ − b‖² subject to θ ≥ 0.
///
/// The optimum is the unconstrained least-squares solution on its own support, so for the few
/// parameters kfsim fits (≤ 12) every support is tried with GSL's `gsl_multifit_linear` and the best
/// feasible one kept: exact, with no iteration tolerance.
public enum NonNegativeLeastSquares {
    /// The solution and its residual sum of squares.
    public struct Solution: Equatable, Sendable {
        /// Coefficients, each ≥ 0.
        public var coefficients: [Double]
        /// ‖Aθ − b‖².
        public var residualSumOfSquares: Double
    }

    /// Solves for `rows` (each a row of A) and `targets` (b).
    public static func solve(rows: [[Double]], targets: [Double]) -> Solution {
        let n = rows.count, p = rows.first?.count ?? 0
        precondition(p > 0 && p <= 12 && targets.count == n, "NNLS needs 1...12 columns and one target per row")
        kfsim_gsl_disable_abort()
        var best = Solution(coefficients: Array(repeating: 0, count: p), residualSumOfSquares: targets.reduce(0) { $0 + $1 * $1 })
        for mask in 1..<(1 << p) {
            let support = (0..<p).filter { mask & (1 << $0) != 0 }
            guard support.count <= n, let theta = leastSquares(rows, targets, support), theta.allSatisfy({ $0 >= 0 }) else { continue }
            var full = Array(repeating: 0.0, count: p)
            for (k, c) in support.enumerated() { full[c] = theta[k] }
            var rss = 0.0
            for i in 0..<n {
                var fit = 0.0
                for c in 0..<p { fit += rows[i][c] * full[c] }
                rss += (fit - targets[i]) * (fit - targets[i])
            }
            if rss < best.residualSumOfSquares { best = Solution(coefficients: full, residualSumOfSquares: rss) }
        }
        return best
    }

    /// Unconstrained least squares on the columns in `support` (nil when GSL fails).
    static func leastSquares(_ rows: [[Double]], _ targets: [Double], _ support: [Int]) -> [Double]? {
        let n = rows.count, k = support.count
        guard let x = gsl_matrix_alloc(n, k), let y = gsl_vector_alloc(n), let c = gsl_vector_alloc(k),
              let cov = gsl_matrix_alloc(k, k), let work = gsl_multifit_linear_alloc(n, k) else { return nil }
        defer {
            gsl_matrix_free(x); gsl_vector_free(y); gsl_vector_free(c); gsl_matrix_free(cov); gsl_multifit_linear_free(work)
        }
        for i in 0..<n {
            gsl_vector_set(y, i, targets[i])
            for (j, col) in support.enumerated() { gsl_matrix_set(x, i, j, rows[i][col]) }
        }
        var chisq = 0.0
        guard gsl_multifit_linear(x, y, c, cov, &chisq, work) == GSL_SUCCESS else { return nil }
        return (0..<k).map { gsl_vector_get(c, $0) }
    }
}
