import KFEngine

extension LoadContext {
    /// The accepted distribution names.
    static let distributionNames = ["constant", "uniform", "exponential", "normal", "lognormal", "gamma", "weibull", "pareto", "empirical"]

    /// A distribution: a plain number or duration (constant), or a mapping
    /// `{distribution: NAME, ...parameters}`. Parameters accept numbers or durations (seconds).
    public func distribution(_ node: ConfigNode) throws(ConfigError) -> Distribution {
        if case .scalar = node.node { return .constant(try node.seconds(minimum: 0)) }
        let keys = ["distribution", "value", "low", "high", "mean", "sd", "mu", "sigma", "shape", "scale", "values", "weights"]
        let m = try node.mapping(keys)
        let kind = try m.required("distribution").oneOf(LoadContext.distributionNames)
        let allowed: [String: [String]] = [
            "constant": ["value"], "uniform": ["low", "high"], "exponential": ["mean"], "normal": ["mean", "sd"],
            "lognormal": ["mu", "sigma"], "gamma": ["shape", "scale"], "weibull": ["shape", "scale"],
            "pareto": ["shape", "scale"], "empirical": ["values", "weights"],
        ]
        for key in keys where key != "distribution" && m.has(key) && !allowed[kind]!.contains(key) {
            throw m[key]!.error("'\(key)' does not apply to \(kind); accepted: \(allowed[kind]!.joined(separator: ", "))")
        }
        func positive(_ key: String) throws(ConfigError) -> Double {
            let n = try m.required(key)
            let v = try n.seconds(minimum: 0)
            guard v > 0 else { throw n.error("must be positive") }
            return v
        }
        func number(_ key: String) throws(ConfigError) -> Double {
            let n = try m.required(key)
            let s = try n.string()
            guard let v = Double(s) ?? DurationText.seconds(s), v.isFinite else { throw n.error("expected a number, got '\(s)'") }
            return v
        }
        switch kind {
        case "constant": return .constant(try m.required("value").seconds(minimum: 0))
        case "uniform":
            let lo = try m.required("low").seconds(minimum: 0)
            let hiNode = try m.required("high")
            let hi = try hiNode.seconds(minimum: 0)
            guard hi >= lo else { throw hiNode.error("high must be at least low (\(lo))") }
            return .uniform(low: lo, high: hi)
        case "exponential": return .exponential(mean: try positive("mean"))
        case "normal":
            let sdNode = try m.required("sd")
            return .normal(mean: try number("mean"), sd: try sdNode.seconds(minimum: 0))
        case "lognormal":
            let sigmaNode = try m.required("sigma")
            return .lognormal(mu: try number("mu"), sigma: try sigmaNode.double(0...1e6))
        case "gamma": return .gamma(shape: try positive("shape"), scale: try positive("scale"))
        case "weibull": return .weibull(shape: try positive("shape"), scale: try positive("scale"))
        case "pareto": return .pareto(shape: try positive("shape"), scale: try positive("scale"))
        default:
            let valuesNode = try m.required("values")
            let values = try valuesNode.list().map { (v: ConfigNode) throws(ConfigError) -> Double in try v.seconds(minimum: 0) }
            guard !values.isEmpty else { throw valuesNode.error("needs at least one value") }
            var weights: [Double] = []
            if let w = m["weights"] {
                weights = try w.list().map { (v: ConfigNode) throws(ConfigError) -> Double in try v.double(0...Double.greatestFiniteMagnitude) }
                guard weights.count == values.count else { throw w.error("needs one weight per value (\(values.count))") }
                guard weights.reduce(0, +) > 0 else { throw w.error("weights must not all be zero") }
            }
            return .empirical(values: values, weights: weights)
        }
    }
}
