import KFControlPlane
import KFAnalysis
import Foundation
import KFEngine

/// Speedup curves from a sweep's `runs.csv`: for each combination of the other swept parameters,
/// S(N) = T(N₀) / T(N) per seed (paired), its mean and 95% interval, and Amdahl and USL fits.
public struct SpeedupAnalysis: Sendable {
    /// One curve.
    public struct Curve: Sendable {
        /// Values of the other parameters.
        public var group: [String]
        /// Container counts, ascending.
        public var n: [Double]
        /// Mean of the metric (e.g. JCT) per N.
        public var metricMean: [Double]
        /// Speedup per N: mean and interval over seeds.
        public var speedup: [SampleSummary]
        /// Amdahl fit.
        public var amdahl: ScalingLaws.AmdahlFit
        /// USL fit.
        public var usl: ScalingLaws.USLFit
        /// N with the largest mean speedup observed.
        public var observedBest: Double
        /// The USL's peak, rounded to a whole count within the tested range.
        public var predictedBest: Double
    }

    /// The swept key used as N.
    public let key: String
    /// The metric the speedup is computed from.
    public let metric: String
    /// Names of the other parameters.
    public let groupKeys: [String]
    /// Curves, one per group, in first-seen order.
    public let curves: [Curve]

    /// Analyses `directory`'s `runs.csv` (and `sweep.json`).
    public init(directory: String, key: String, metric: String = "jct_mean_s") throws {
        guard let data = FileManager.default.contents(atPath: "\(directory)/runs.csv") else {
            throw SweepError("\(directory)/runs.csv is missing: run or merge the sweep first")
        }
        var lines = String(decoding: data, as: UTF8.self).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        guard let header = lines.first else { throw SweepError("\(directory)/runs.csv is empty") }
        lines.removeFirst()
        guard let seedColumn = header.firstIndex(of: "seed") else { throw SweepError("\(directory)/runs.csv has no seed column") }
        let paramColumns = Array(2..<seedColumn)
        guard let x = paramColumns.first(where: { header[$0] == key }) else {
            throw SweepError("'\(key)' is not a swept parameter; swept: \(paramColumns.map { header[$0] }.joined(separator: ", "))")
        }
        guard let m = header.firstIndex(of: metric) else {
            throw SweepError("unknown metric '\(metric)'; accepted: \(header[(seedColumn + 1)...].joined(separator: ", "))")
        }
        let others = paramColumns.filter { $0 != x }
        self.key = key
        self.metric = metric
        self.groupKeys = others.map { header[$0] }
        // group -> N -> seed -> value
        var order: [[String]] = []
        var values: [[String]: [Double: [String: Double]]] = [:]
        for row in lines where row.count == header.count {
            guard let n = Double(row[x]) else { throw SweepError("'\(key)' must be numeric to compute a speedup, got '\(row[x])'") }
            let g = others.map { row[$0] }
            if values[g] == nil { order.append(g); values[g] = [:] }
            // An empty cell has no data (e.g. no job finished): that seed is left out, never read as 0.
            if let v = Double(row[m]), v.isFinite { values[g]![n, default: [:]][row[seedColumn]] = v }
            else { values[g]![n, default: [:]][row[seedColumn]] = nil }
        }
        self.curves = try order.map { g throws in try SpeedupAnalysis.curve(group: g, values[g]!, key: key, metric: metric) }
    }

    /// The speedup curve of one group (values by N, then by seed) and its fits.
    static func curve(group g: [String], _ byN: [Double: [String: Double]], key: String, metric: String) throws -> Curve {
        let ns = byN.keys.sorted()
        guard let base = ns.first, ns.count >= 3 else { throw SweepError("a speedup curve needs at least 3 values of \(key)") }
        let seeds = byN[base]!.keys.sorted()
        var speedups: [SampleSummary] = [], means: [Double] = [], mean: [Double] = []
        for n in ns {
            let pairs = seeds.compactMap { s -> Double? in
                guard let t0 = byN[base]![s], let t = byN[n]![s], t > 0 else { return nil }
                return t0 / t
            }
            let s = SampleSummary(pairs)
            guard let m = s.mean, let nMean = SampleSummary(Array(byN[n]!.values)).mean else {
                throw SweepError("no seed has \(metric) at both \(key)=\(format(base)) and \(key)=\(format(n)) (empty cells: jobs unfinished?)")
            }
            speedups.append(s)
            means.append(nMean)
            mean.append(m)
        }
        // Speedups relative to the smallest N: scale N so that the base is 1 for the fits.
        let scaled = ns.map { $0 / base }
        let amdahl = try ScalingLaws.fitAmdahl(n: scaled, speedup: mean)
        let usl = try ScalingLaws.fitUSL(n: scaled, speedup: mean)
        let peak = ScalingLaws.uslPeak(sigma: usl.sigma, kappa: usl.kappa) * base
        let predicted = min(max(peak.isFinite ? peak.rounded() : ns.last!, ns.first!), ns.last!)
        let best = ns[mean.indices.max { mean[$0] < mean[$1] }!]
        return Curve(group: g, n: ns, metricMean: means, speedup: speedups, amdahl: amdahl, usl: usl,
                     observedBest: best, predictedBest: predicted)
    }

    /// `speedup.csv`: per group and N, the metric mean, the speedup (mean, 95% interval) and both fits.
    public var speedupCSV: String {
        var out = Format.csvLine(groupKeys + [key, "n", "\(metric)_mean", "speedup_mean", "speedup_ci95_low", "speedup_ci95_high",
                                              "amdahl", "usl"])
        for c in curves {
            let base = c.n[0]
            for (i, n) in c.n.enumerated() {
                let s = c.speedup[i], ci = s.confidenceInterval()
                out += Format.csvLine(c.group + [SpeedupAnalysis.format(n), String(s.count), Format.number(c.metricMean[i]),
                                                 Format.metric(s.mean), Format.metric(ci?.low), Format.metric(ci?.high),
                                                 Format.number(ScalingLaws.amdahl(n / base, serialFraction: c.amdahl.serialFraction)),
                                                 Format.number(ScalingLaws.usl(n / base, sigma: c.usl.sigma, kappa: c.usl.kappa))])
            }
        }
        return out
    }

    /// `fit.json`: per curve, both fits (parameters, R²) and the best N observed and predicted.
    public var fitJSON: String {
        func fit(_ f: NonlinearLeastSquares.Fit) -> [(String, JSONValue)] {
            [("rSquared", .double(f.rSquared)), ("residualSumOfSquares", .double(f.residualSumOfSquares)),
             ("iterations", .int(Int64(f.iterations))), ("converged", .bool(f.converged))]
        }
        let items: [JSONValue] = curves.map { c in
            let peak = ScalingLaws.uslPeak(sigma: c.usl.sigma, kappa: c.usl.kappa) * c.n[0]
            return .object([
                ("group", .object(zip(groupKeys, c.group).map { ($0, .string($1)) })),
                ("baseN", .number(SpeedupAnalysis.format(c.n[0]))),
                ("amdahl", .object([("serialFraction", .double(c.amdahl.serialFraction))] + fit(c.amdahl.fit))),
                ("usl", .object([("sigma", .double(c.usl.sigma)), ("kappa", .double(c.usl.kappa)),
                                 ("peakN", peak.isFinite ? .double(peak) : .null)] + fit(c.usl.fit))),
                ("observedBestN", .number(SpeedupAnalysis.format(c.observedBest))),
                ("predictedBestN", .number(SpeedupAnalysis.format(c.predictedBest))),
            ])
        }
        return JSONValue.object([("key", .string(key)), ("metric", .string(metric)), ("curves", .array(items))]).rendered() + "\n"
    }

    /// Writes `speedup.csv` and `fit.json` into `directory`.
    public func write(to directory: String) throws {
        try AtomicFile.write(speedupCSV, to: "\(directory)/speedup.csv")
        try AtomicFile.write(fitJSON, to: "\(directory)/fit.json")
    }

    static func format(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : Format.number(v)
    }
}
