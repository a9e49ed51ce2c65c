import KFConfig
/// A parameter sweep as a scenario's `sweep:` section (or the command line) describes it.
public struct SweepDefinition: Equatable, Sendable {
    /// One swept key and its values, in order.
    public struct Parameter: Equatable, Sendable {
        /// The key path, as `--set` takes it.
        public var key: String
        /// The values, as text.
        public var values: [String]
        /// A parameter.
        public init(key: String, values: [String]) {
            self.key = key
            self.values = values
        }
    }

    /// Swept parameters; the grid is their product, the first outermost.
    public var parameters: [Parameter]
    /// Replication seeds (nil: not given).
    public var seeds: [UInt64]?
    /// The baseline of paired comparisons: a parameter key and one of its values.
    public var baseline: (key: String, value: String)?

    /// A definition.
    public init(parameters: [Parameter] = [], seeds: [UInt64]? = nil, baseline: (key: String, value: String)? = nil) {
        self.parameters = parameters
        self.seeds = seeds
        self.baseline = baseline
    }

    public static func == (a: SweepDefinition, b: SweepDefinition) -> Bool {
        a.parameters == b.parameters && a.seeds == b.seeds && a.baseline?.key == b.baseline?.key && a.baseline?.value == b.baseline?.value
    }

    // MARK: - Text forms shared by files and the command line

    /// Values from `v1,v2,...` or an inclusive range `start:stop:step`.
    public static func values(_ text: String) -> Result<[String], SweepTextError> {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        if parts.count == 3 {
            guard let start = Double(parts[0]), let stop = Double(parts[1]), let step = Double(parts[2]) else {
                return .failure(SweepTextError("'\(text)' is not a range start:stop:step of numbers"))
            }
            guard start.isFinite, stop.isFinite, step.isFinite else {
                return .failure(SweepTextError("range '\(text)' needs finite numbers"))
            }
            guard step > 0, stop >= start else { return .failure(SweepTextError("range '\(text)' needs step > 0 and stop >= start")) }
            // Checked in floating point before any integer conversion (1e308 or a tiny step cannot trap).
            let steps = ((stop - start) / step + 1e-9).rounded(.down)
            guard steps.isFinite, steps < 100_000 else { return .failure(SweepTextError("range '\(text)' has more than 100000 values")) }
            let count = Int(steps) + 1
            return .success((0..<count).map { format(start + Double($0) * step) })
        }
        let values = text.split(separator: ",", omittingEmptySubsequences: false).map { String($0) }
        if values.contains(where: \.isEmpty) { return .failure(SweepTextError("'\(text)' has an empty value; expected v1,v2,... or start:stop:step")) }
        return .success(values)
    }

    /// Seeds from `1..10` (inclusive), a list `1,2,5`, or a count `7` (seeds 1 to 7).
    public static func seeds(_ text: String) -> Result<[UInt64], SweepTextError> {
        if !text.contains(","), !text.contains(".."), let n = UInt64(text) {
            guard n >= 1, n <= 1_000_000 else { return .failure(SweepTextError("seed count '\(text)' must be in 1...1000000")) }
            return .success(Array(1...n))
        }
        return seedList(text)
    }

    /// Seeds from `1..10` or `1-10` (inclusive) or a list `1,2,5` (a single number is that seed).
    public static func seedList(_ text: String) -> Result<[UInt64], SweepTextError> {
        if let range = text.range(of: "..") ?? text.range(of: "-") {
            guard let lo = UInt64(text[..<range.lowerBound]), let hi = UInt64(text[range.upperBound...]), hi >= lo, hi - lo < 1_000_000 else {
                return .failure(SweepTextError("'\(text)' is not a seed range such as 1..10"))
            }
            return .success(Array(lo...hi))
        }
        var out: [UInt64] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard let s = UInt64(part) else { return .failure(SweepTextError("'\(text)' is not a seed list such as 1,2,3 or a range such as 1..10")) }
            out.append(s)
        }
        guard Set(out).count == out.count else { return .failure(SweepTextError("'\(text)' repeats a seed")) }
        return .success(out)
    }

    /// A number as a parameter value: integers without a decimal point.
    static func format(_ v: Double) -> String {
        let rounded = (v * 1e9).rounded() / 1e9
        if rounded == rounded.rounded() && abs(rounded) < 1e15 { return String(Int64(rounded)) }
        return String(rounded)
    }
}

/// Why sweep text (values, seeds) was refused.
public struct SweepTextError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The message.
    public var message: String
    init(_ message: String) { self.message = message }
    public var description: String { message }
}
