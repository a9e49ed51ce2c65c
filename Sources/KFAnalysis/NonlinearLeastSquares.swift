import CGSL

/// Nonlinear least squares with GSL's trust-region solver (`gsl_multifit_nlinear`, Levenberg-Marquardt,
/// finite-difference Jacobian).
public enum NonlinearLeastSquares {
    /// A fitted model.
    public struct Fit: Sendable, Equatable {
        /// Parameters at the minimum.
        public var parameters: [Double]
        /// Sum of squared residuals.
        public var residualSumOfSquares: Double
        /// Coefficient of determination, 1 - SS_res / SS_tot.
        public var rSquared: Double
        /// Solver iterations.
        public var iterations: Int
        /// Whether a convergence test was met (else the iteration limit was hit).
        public var converged: Bool
    }

    /// Why a fit could not be made.
    public struct FitError: Error, CustomStringConvertible, Sendable {
        /// The message.
        public var message: String
        public var description: String { message }
    }

    final class Problem {
        let x: [Double]
        let y: [Double]
        let model: (Double, [Double]) -> Double
        init(x: [Double], y: [Double], model: @escaping (Double, [Double]) -> Double) {
            self.x = x
            self.y = y
            self.model = model
        }
    }

    /// Minimises Σ (model(xᵢ, θ) − yᵢ)² from `initial`.
    public static func fit(x: [Double], y: [Double], initial: [Double], maxIterations: Int = 500,
                           model: @escaping (Double, [Double]) -> Double) throws(FitError) -> Fit {
        let n = x.count, p = initial.count
        guard n == y.count, n >= p, p > 0 else { throw FitError(message: "need at least \(p) points for \(p) parameters, got \(n)") }
        kfsim_gsl_disable_abort()
        let problem = Problem(x: x, y: y, model: model)
        var params = gsl_multifit_nlinear_default_parameters()
        guard let w = gsl_multifit_nlinear_alloc(kfsim_nlinear_trust(), &params, n, p) else {
            throw FitError(message: "GSL could not allocate a workspace")
        }
        defer { gsl_multifit_nlinear_free(w) }
        var fdf = gsl_multifit_nlinear_fdf()
        fdf.f = { theta, context, residuals in
            let problem = Unmanaged<Problem>.fromOpaque(context!).takeUnretainedValue()
            let count = theta!.pointee.size
            let t = (0..<count).map { gsl_vector_get(theta, $0) }
            for i in problem.x.indices {
                let r = problem.model(problem.x[i], t) - problem.y[i]
                gsl_vector_set(residuals, i, r.isFinite ? r : 1e300)
            }
            return Int32(GSL_SUCCESS)
        }
        fdf.df = nil
        fdf.fvv = nil
        fdf.n = n
        fdf.p = p
        let context = Unmanaged.passUnretained(problem).toOpaque()
        fdf.params = context
        let start = gsl_vector_alloc(p)!
        defer { gsl_vector_free(start) }
        for (i, v) in initial.enumerated() { gsl_vector_set(start, i, v) }
        var status = withExtendedLifetime(problem) { gsl_multifit_nlinear_init(start, &fdf, w) }
        guard status == GSL_SUCCESS else { throw FitError(message: "GSL could not start the fit (status \(status))") }
        var info: Int32 = 0
        status = withExtendedLifetime(problem) {
            gsl_multifit_nlinear_driver(maxIterations, 1e-10, 1e-10, 0, nil, nil, &info, w)
        }
        let converged = status == GSL_SUCCESS
        guard converged || status == GSL_EMAXITER else { throw FitError(message: "GSL fit failed (status \(status))") }
        let position = gsl_multifit_nlinear_position(w)
        let theta = (0..<p).map { gsl_vector_get(position, $0) }
        var ssRes = 0.0, mean = 0.0, ssTot = 0.0
        for v in y { mean += v }
        mean /= Double(n)
        for i in 0..<n {
            let r = model(x[i], theta) - y[i]
            ssRes += r * r
            ssTot += (y[i] - mean) * (y[i] - mean)
        }
        return Fit(parameters: theta, residualSumOfSquares: ssRes, rSquared: ssTot > 0 ? 1 - ssRes / ssTot : 1,
                   iterations: Int(gsl_multifit_nlinear_niter(w)), converged: converged)
    }
}
