import Foundation

/// A distribution of a non-negative quantity (a duration, a size, a rate), sampled from a named stream.
///
/// Parameters follow GSL's conventions; every variate is truncated at zero because the quantities
/// it feeds cannot be negative.
public enum Distribution: Sendable, Equatable {
    /// Always `value`.
    case constant(Double)
    /// Uniform on [low, high).
    case uniform(low: Double, high: Double)
    /// Exponential with the given mean.
    case exponential(mean: Double)
    /// Normal (truncated at zero).
    case normal(mean: Double, sd: Double)
    /// Lognormal with log-mean `mu` and log-sd `sigma`.
    case lognormal(mu: Double, sigma: Double)
    /// Gamma with shape and scale.
    case gamma(shape: Double, scale: Double)
    /// Weibull with shape and scale.
    case weibull(shape: Double, scale: Double)
    /// Pareto with shape (alpha) and scale (minimum value).
    case pareto(shape: Double, scale: Double)
    /// One of `values`, with probability proportional to `weights` (equal when empty).
    case empirical(values: [Double], weights: [Double])

    /// Whether sampling consumes no random numbers.
    public var isConstant: Bool {
        if case .constant = self { return true }
        return false
    }

    /// The distribution's mean.
    public var mean: Double {
        switch self {
        case .constant(let v): return v
        case .uniform(let lo, let hi): return (lo + hi) / 2
        case .exponential(let m): return m
        case .normal(let m, _): return m
        case .lognormal(let mu, let sigma): return exp(mu + sigma * sigma / 2)
        case .gamma(let k, let theta): return k * theta
        case .weibull(let k, let lambda): return lambda * tgamma(1 + 1 / k)
        case .pareto(let a, let xm): return a > 1 ? a * xm / (a - 1) : .infinity
        case .empirical(let values, let weights):
            if weights.isEmpty { return values.reduce(0, +) / Double(max(values.count, 1)) }
            let total = weights.reduce(0, +)
            return zip(values, weights).reduce(0) { $0 + $1.0 * $1.1 } / total
        }
    }

    /// The largest variate: a heavy tail is cut at 1e9 (seconds: 31.7 years), so that no sample
    /// stretches a run beyond what can be simulated (valid inputs never come near it).
    public static let maximumSample = 1e9

    /// One variate (never negative, at most `maximumSample`).
    public func sample(_ stream: RandomStream) -> Double {
        let value: Double
        switch self {
        case .constant(let v): value = v
        case .uniform(let lo, let hi): value = stream.uniform(low: lo, high: hi)
        case .exponential(let m): value = stream.exponential(mean: m)
        case .normal(let m, let sd): value = stream.normal(mean: m, sd: sd)
        case .lognormal(let mu, let sigma): value = stream.lognormal(mu: mu, sigma: sigma)
        case .gamma(let k, let theta): value = stream.gamma(shape: k, scale: theta)
        case .weibull(let k, let lambda): value = stream.weibull(shape: k, scale: lambda)
        case .pareto(let a, let xm): value = stream.pareto(shape: a, scale: xm)
        case .empirical(let values, let weights):
            value = values[Distribution.pick(weights: weights, count: values.count, stream: stream)]
        }
        guard value.isFinite else { return value.isNaN || value < 0 ? 0 : Distribution.maximumSample }
        return min(max(0, value), Distribution.maximumSample)
    }

    static func pick(weights: [Double], count: Int, stream: RandomStream) -> Int {
        if weights.isEmpty { return stream.uniformInt(below: count) }
        let total = weights.reduce(0, +)
        var target = stream.uniform() * total
        for (index, weight) in weights.enumerated() {
            target -= weight
            if target < 0 { return index }
        }
        return count - 1
    }
}

