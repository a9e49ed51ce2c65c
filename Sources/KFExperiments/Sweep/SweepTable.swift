import KFControlPlane
import KFAnalysis
import KFEngine

/// The rows of `runs.csv` and what is computed from them (`points.csv`, `comparisons.csv`).
///
/// Everything downstream reads the formatted rows, so an unsharded sweep and a merge of shards produce
/// the same bytes.
public struct SweepTable: Sendable {
    /// The plan.
    public let plan: SweepPlan
    /// Metric column names, in order.
    public static let metricNames = Summary.metricNames
    /// One formatted row per run index (all present when complete).
    public var rows: [Int: String]

    /// A table.
    public init(plan: SweepPlan, rows: [Int: String] = [:]) {
        self.plan = plan
        self.rows = rows
    }

    /// The `runs.csv` header.
    public var header: String {
        Format.csvLine(["run", "point"] + plan.parameters.map(\.key) + ["seed"] + SweepTable.metricNames)
    }

    /// The formatted row of run `index` with `summary`.
    public func row(run index: Int, summary: Summary) -> String { SweepTable.row(plan: plan, run: index, summary: summary) }

    /// The formatted row of run `index` of `plan` (reads only the immutable plan: safe on any thread).
    public static func row(plan: SweepPlan, run index: Int, summary: Summary) -> String {
        let p = index / plan.seeds.count
        let seed = plan.seeds[index % plan.seeds.count]
        return Format.csvLine([String(index), String(p)] + plan.points[p] + [String(seed)] + summary.metrics.map { Format.metric($0.1) })
    }

    /// `runs.csv` with the rows present, in run order.
    public var runsCSV: String {
        header + rows.keys.sorted().map { rows[$0]! }.joined()
    }

    /// Metric values of run `index`, parsed back from its row (nil: an empty cell, no data).
    public func metricValues(_ index: Int) -> [Double?] {
        let fields = rows[index]!.dropLast().split(separator: ",", omittingEmptySubsequences: false)
        let first = 3 + plan.parameters.count
        return fields[first...].map { Double($0).flatMap { $0.isNaN ? nil : $0 } }
    }

    /// Per point: how many of its runs left jobs unfinished and how many had failed jobs.
    func troubledRuns(point p: Int) -> (unfinished: Int, failed: Int) {
        let s = plan.seeds.count
        let unfinished = SweepTable.metricNames.firstIndex(of: "jobs_unfinished")!
        let failed = SweepTable.metricNames.firstIndex(of: "jobs_failed")!
        var out = (unfinished: 0, failed: 0)
        for k in 0..<s {
            let v = metricValues(p * s + k)
            if (v[unfinished] ?? 0) > 0 { out.unfinished += 1 }
            if (v[failed] ?? 0) > 0 { out.failed += 1 }
        }
        return out
    }

    /// `points.csv`: per point and metric, n (runs with a value), mean, sd and the 95% Student-t
    /// interval of the mean (empty below two values), and how many runs left jobs unfinished or failed.
    public var pointsCSV: String {
        var out = Format.csvLine(["point"] + plan.parameters.map(\.key)
            + ["metric", "n", "mean", "sd", "ci95_low", "ci95_high", "runs_with_unfinished_jobs", "runs_with_failed_jobs"])
        let s = plan.seeds.count
        for p in plan.points.indices {
            let values = (0..<s).map { metricValues(p * s + $0) }
            let troubled = troubledRuns(point: p)
            for (m, name) in SweepTable.metricNames.enumerated() {
                let summary = SampleSummary(present: values.map { $0[m] })
                let ci = summary.confidenceInterval()
                out += Format.csvLine([String(p)] + plan.points[p] + [name, String(summary.count), Format.metric(summary.mean),
                                                                     Format.metric(summary.sd), Format.metric(ci?.low),
                                                                     Format.metric(ci?.high), String(troubled.unfinished),
                                                                     String(troubled.failed)])
            }
        }
        return out
    }

    /// The parameter compared and its baseline: the plan's, else the first parameter with a
    /// non-numeric value, against its first value.
    public var comparisonBaseline: (index: Int, value: String)? {
        if let b = plan.baseline, let i = plan.parameters.firstIndex(where: { $0.key == b.key }) { return (i, b.value) }
        guard let i = plan.parameters.firstIndex(where: { $0.values.contains { Double($0) == nil } }),
              plan.parameters[i].values.count > 1 else { return nil }
        return (i, plan.parameters[i].values[0])
    }

    /// `comparisons.csv`: per point whose compared value is not the baseline and per metric, the paired
    /// difference (same seed, both runs with a value) against the point that differs only by the
    /// baseline value. Keys in runs.csv's order, then the baseline named. `flag` says when either side
    /// left jobs unfinished or had failed jobs; such pairs are not judged significant on time metrics
    /// (a policy that finishes nothing must not look fast).
    public var comparisonsCSV: String? {
        guard let (k, baseValue) = comparisonBaseline else { return nil }
        let key = plan.parameters[k].key
        var out = Format.csvLine(plan.parameters.map(\.key)
            + ["baseline_key", "baseline_value", "metric", "n", "mean_diff", "ci95_low", "ci95_high", "baseline_mean",
               "relative_diff", "significant", "flag"])
        let s = plan.seeds.count
        for p in plan.points.indices where plan.points[p][k] != baseValue {
            var target = plan.points[p]
            target[k] = baseValue
            // Keys linked to the compared one take the values paired with the baseline.
            if let group = plan.links.first(where: { $0.contains(key) }), let bi = plan.parameters[k].values.firstIndex(of: baseValue) {
                for other in group where other != key {
                    let j = plan.parameters.firstIndex { $0.key == other }!
                    target[j] = plan.parameters[j].values[bi]
                }
            }
            guard let q = plan.points.firstIndex(of: target) else { continue }
            let mine = (0..<s).map { metricValues(p * s + $0) }
            let theirs = (0..<s).map { metricValues(q * s + $0) }
            let flag = SweepTable.flag(troubledRuns(point: p), troubledRuns(point: q))
            for (m, name) in SweepTable.metricNames.enumerated() {
                let diffs: [Double?] = (0..<s).map { i in mine[i][m].flatMap { a in theirs[i][m].map { a - $0 } } }
                let d = SampleSummary(present: diffs)
                let ci = d.confidenceInterval()
                let baseMean = SampleSummary(present: theirs.map { $0[m] }).mean
                let relative: Double? = d.mean.flatMap { dm in baseMean.flatMap { $0 != 0 ? dm / $0 : nil } }
                let judged = ci != nil && (flag.isEmpty || !name.hasSuffix("_s"))
                let significant = judged ? ((ci!.low > 0 || ci!.high < 0) ? "true" : "false") : ""
                out += Format.csvLine(plan.points[p] + [key, baseValue, name, String(d.count), Format.metric(d.mean),
                                                        Format.metric(ci?.low), Format.metric(ci?.high), Format.metric(baseMean),
                                                        Format.metric(relative), significant, flag])
            }
        }
        return out
    }

    /// The `flag` of a comparison between a point and its baseline.
    static func flag(_ a: (unfinished: Int, failed: Int), _ b: (unfinished: Int, failed: Int)) -> String {
        var parts: [String] = []
        if a.unfinished > 0 { parts.append("\(a.unfinished) runs with unfinished jobs") }
        if b.unfinished > 0 { parts.append("baseline: \(b.unfinished) runs with unfinished jobs") }
        if a.failed > 0 { parts.append("\(a.failed) runs with failed jobs") }
        if b.failed > 0 { parts.append("baseline: \(b.failed) runs with failed jobs") }
        return parts.joined(separator: "; ")
    }

    /// `sweep.json`: what was swept (and, for a shard, which shard).
    public func sweepJSON(shard: Shard?) -> String {
        var pairs: [(String, JSONValue)] = [
            ("kfsim", .string(kfsimVersion)),
            ("scenario", .string(plan.scenarioName)),
            ("sweep", .string(plan.identity)),
            ("parameters", .array(plan.parameters.map { .object([("key", .string($0.key)), ("values", .array($0.values.map { .string($0) }))]) })),
            ("seeds", .array(plan.seeds.map { .int(Int64(bitPattern: $0)) })),
            ("fixedOverrides", .array(plan.fixedOverrides.map { .string($0) })),
            ("runs", .int(Int64(plan.runCount))),
        ]
        if !plan.links.isEmpty { pairs.append(("zip", .array(plan.links.map { .array($0.map { .string($0) }) }))) }
        if let b = plan.baseline { pairs.append(("baseline", .object([("key", .string(b.key)), ("value", .string(b.value))]))) }
        if let shard { pairs.append(("shard", .object([("index", .int(Int64(shard.index))), ("count", .int(Int64(shard.count)))]))) }
        return JSONValue.object(pairs).rendered() + "\n"
    }
}

/// One shard of a sweep: runs whose index modulo `count` is `index`.
public struct Shard: Equatable, Sendable {
    /// 0-based shard index.
    public var index: Int
    /// Number of shards.
    public var count: Int
    /// A shard.
    public init(index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    /// Parses `I/N`.
    public static func parse(_ text: String) -> Shard? {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]), n > 0, i >= 0, i < n else { return nil }
        return Shard(index: i, count: n)
    }

    /// Whether run `index` belongs to this shard.
    public func owns(_ run: Int) -> Bool { run % count == index }
}
