import KFAnalysis
import KFEngine

/// Speedup models fitted to a speedup curve S(N) = T(1) / T(N).
public enum ScalingLaws {
    /// Amdahl's law with serial fraction s: S(N) = 1 / (s + (1 - s) / N).
    public static func amdahl(_ n: Double, serialFraction s: Double) -> Double { 1 / (s + (1 - s) / n) }

    /// The Universal Scalability Law: S(N) = N / (1 + σ(N - 1) + κN(N - 1)).
    public static func usl(_ n: Double, sigma: Double, kappa: Double) -> Double { n / (1 + sigma * (n - 1) + kappa * n * (n - 1)) }

    /// The N that maximises the USL: sqrt((1 - σ) / κ) (infinite when κ = 0 or σ >= 1 means no gain).
    public static func uslPeak(sigma: Double, kappa: Double) -> Double {
        guard kappa > 0 else { return .infinity }
        return sigma >= 1 ? 1 : ((1 - sigma) / kappa).squareRoot()
    }

    /// A fitted Amdahl curve.
    public struct AmdahlFit: Sendable { public var serialFraction: Double; public var fit: NonlinearLeastSquares.Fit }
    /// A fitted USL curve.
    public struct USLFit: Sendable { public var sigma: Double; public var kappa: Double; public var fit: NonlinearLeastSquares.Fit }

    /// Fits Amdahl's law (s = a², so s >= 0) by GSL nonlinear least squares.
    public static func fitAmdahl(n: [Double], speedup: [Double]) throws -> AmdahlFit {
        let f = try NonlinearLeastSquares.fit(x: n, y: speedup, initial: [0.3]) { x, t in amdahl(x, serialFraction: t[0] * t[0]) }
        return AmdahlFit(serialFraction: f.parameters[0] * f.parameters[0], fit: f)
    }

    /// Fits the USL (σ = a², κ = b², both >= 0) by GSL nonlinear least squares.
    public static func fitUSL(n: [Double], speedup: [Double]) throws -> USLFit {
        let f = try NonlinearLeastSquares.fit(x: n, y: speedup, initial: [0.2, 0.03]) { x, t in
            usl(x, sigma: t[0] * t[0], kappa: t[1] * t[1])
        }
        return USLFit(sigma: f.parameters[0] * f.parameters[0], kappa: f.parameters[1] * f.parameters[1], fit: f)
    }
}
