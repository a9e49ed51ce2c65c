import KFAnalysis
import Foundation
import KFConfig
import KFEngine
import KFControlPlane
import KFWorkloads

/// Optimus's training-speed model (Peng et al., EuroSys 2018) fitted to measured speeds
/// (`shared/data/ps-speed/config_speed.txt`, the DL2 testbed): for synchronous training
/// f(p, w) = 1 / (θ0·M/w + θ1 + θ2·w/p + θ3·w + θ4·p), θ ≥ 0, by non-negative least squares on 1/f
/// (as Optimus's estimator does), per model. The speed f of a configuration is the job's: the sum of
/// its workers' measured speeds (with the per-worker mean instead, errors double); measurements with no
/// speed (failed runs) are left out.
public enum OptimusFit {
    /// One measured configuration.
    public struct Sample: Equatable, Sendable {
        public var model: String
        public var synchronous: Bool
        public var batch: Double
        public var ps: Double
        public var workers: Double
        /// The job's training speed: the sum of its workers' measured speeds.
        public var speed: Double
    }

    /// A model's fit.
    public struct ModelFit: Sendable {
        public var model: String
        public var samples: Int
        /// θ0...θ4 (sync).
        public var theta: [Double]
        /// Mean absolute percentage error of f over the samples.
        public var meanAbsolutePercentageError: Double
        /// Largest absolute percentage error.
        public var maxAbsolutePercentageError: Double
    }

    /// Parses `config_speed.txt` lines `('model', 'dist_sync', batch, ps, workers, [speeds], [ps cpu], [worker cpu])`.
    public static func read(file: String) throws(InputError) -> [Sample] {
        let text: String
        do { text = try InputFile.read(file, maxBytes: InputFile.maxTraceBytes) } catch {
            throw InputError(error)
        }
        var out: [Sample] = []
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            let bad = InputError(file: file, line: i + 1, column: 1,
                                 message: "expected ('model', 'dist_sync'|'dist_async', batch, ps, workers, [speeds], [ps cpu], [worker cpu])")
            guard line.hasPrefix("("), line.hasSuffix(")") else { throw bad }
            let body = line.dropFirst().dropLast()
            guard let open = body.firstIndex(of: "[") else { throw bad }
            let head = body[..<open].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "'\"")) }
            guard head.count >= 5, let batch = Double(head[2]), let ps = Double(head[3]), let w = Double(head[4]) else { throw bad }
            guard let close = body[open...].firstIndex(of: "]") else { throw bad }
            let speeds = body[body.index(after: open)..<close].split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
            guard !speeds.isEmpty else { throw bad }
            out.append(Sample(model: head[0], synchronous: head[1] != "dist_async", batch: batch, ps: ps, workers: w,
                              // A worker with no speed means a failed run: no speed for the configuration.
                              speed: speeds.contains { $0 <= 0 } ? 0 : speeds.reduce(0, +)))
        }
        return out
    }

    /// The regressors of 1/f for a sample.
    public static func features(_ s: Sample) -> [Double] {
        [s.batch / s.workers, 1, s.workers / s.ps, s.workers, s.ps]
    }

    /// The fitted speed of a configuration.
    public static func speed(theta: [Double], batch: Double, ps: Double, workers: Double) -> Double {
        let f = features(Sample(model: "", synchronous: true, batch: batch, ps: ps, workers: workers, speed: 0))
        let inverse = zip(theta, f).reduce(0) { $0 + $1.0 * $1.1 }
        return inverse > 0 ? 1 / inverse : .infinity
    }

    /// Fits every model (synchronous samples), in order of first appearance.
    public static func fit(_ samples: [Sample]) -> [ModelFit] {
        var order: [String] = []
        for s in samples where s.synchronous && s.speed > 0 && !order.contains(s.model) { order.append(s.model) }
        return order.map { model in
            let mine = samples.filter { $0.model == model && $0.synchronous && $0.speed > 0 }
            let solution = NonNegativeLeastSquares.solve(rows: mine.map(features), targets: mine.map { 1 / $0.speed })
            let errors = mine.map { s in abs(speed(theta: solution.coefficients, batch: s.batch, ps: s.ps, workers: s.workers) - s.speed) / s.speed }
            return ModelFit(model: model, samples: mine.count, theta: solution.coefficients,
                            meanAbsolutePercentageError: errors.reduce(0, +) / Double(errors.count),
                            maxAbsolutePercentageError: errors.max() ?? 0)
        }
    }

    /// `optimus-fit.csv`.
    public static func csv(_ fits: [ModelFit]) -> String {
        var out = Format.csvLine(["model", "samples", "theta0", "theta1", "theta2", "theta3", "theta4", "mape", "max_ape"])
        for f in fits {
            out += Format.csvLine([f.model, String(f.samples)] + f.theta.map { String(format: "%.9g", $0) }
                                  + [Format.number(f.meanAbsolutePercentageError), Format.number(f.maxAbsolutePercentageError)])
        }
        return out
    }
}
