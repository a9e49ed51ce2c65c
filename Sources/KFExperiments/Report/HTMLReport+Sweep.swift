import Foundation

extension HTMLReport {
    /// The metrics a sweep page plots, in order, when the sweep has them.
    static let sweepMetrics = ["jct_mean_s", "jct_mean_censored_s", "queueing_mean_s", "makespan_s", "cpu_used_of_allocated", "cpu_allocated"]

    static func sweep(_ dir: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: "\(dir)/sweep.json"),
              let meta = try JSONSerialization.jsonObject(with: data) as? [String: Any] else { throw SweepError("cannot read \(dir)/sweep.json") }
        let keys = (meta["parameters"] as? [[String: Any]] ?? []).compactMap { $0["key"] as? String }
        let seeds = (meta["seeds"] as? [NSNumber] ?? []).count
        var body = "<p>scenario <b>\(cell(meta["scenario"] as? String))</b>, \(cell((meta["runs"] as? NSNumber)?.stringValue)) runs: "
            + "\(keys.map { "<code>\(SVGChart.escape($0))</code>" }.joined(separator: " &times; ")) &times; \(seeds) seeds.</p>"
        guard FileManager.default.fileExists(atPath: "\(dir)/points.csv") else {
            return page("kfsim sweep shard: \(meta["scenario"] as? String ?? dir)", body + "<p class=\"empty\">a shard: merge the shards for points and comparisons</p>")
        }
        let points = try Table(path: "\(dir)/points.csv")
        let metricNames = Set(points.values("metric"))
        guard let mc = points.column("metric"), let meanC = points.column("mean"), let lowC = points.column("ci95_low"),
              let highC = points.column("ci95_high") else { throw SweepError("\(dir)/points.csv lacks its columns") }
        let keyColumns = keys.compactMap(points.column)
        let troubled = points.rows.filter { r in ["runs_with_unfinished_jobs", "runs_with_failed_jobs"].contains { points.column($0).map { (Int(r[$0]) ?? 0) > 0 } ?? false } }
        if !troubled.isEmpty {
            let flagged = Set(troubled.map { r in keyColumns.map { r[$0] } }).count
            body += "<p class=\"flag\">\(flagged) points have runs that left jobs unfinished or failed: their time metrics are censored.</p>"
        }
        for metric in sweepMetrics where metricNames.contains(metric) {
            let rows = points.rows.filter { $0[mc] == metric }
            for (k, key) in keys.enumerated() {
                let c = keyColumns[k]
                var categories: [String] = []
                for r in rows where !categories.contains(r[c]) { categories.append(r[c]) }
                // One series per combination of the other keys.
                var groups: [String: [[String]]] = [:], order: [String] = []
                for r in rows {
                    let g = keyColumns.enumerated().filter { $0.offset != k }.map { "\(keys[$0.offset].split(separator: ".").last ?? "")=\(r[$0.element])" }.joined(separator: " ")
                    if groups[g] == nil { order.append(g) }
                    groups[g, default: []].append(r)
                }
                let series = order.prefix(8).map { g in
                    (name: g.isEmpty ? metric : g, values: categories.map { cat in
                        let r = groups[g]!.first { $0[c] == cat }
                        return (mean: r.flatMap { Double($0[meanC]) }, low: r.flatMap { Double($0[lowC]) }, high: r.flatMap { Double($0[highC]) })
                    })
                }
                body += "<figure>" + SVGChart.intervals(categories: categories, series: Array(series), xLabel: key, yLabel: metric)
                    + "<figcaption>\(SVGChart.escape(metric)) by \(SVGChart.escape(key)): mean and 95% interval over seeds</figcaption></figure>"
            }
        }
        if FileManager.default.fileExists(atPath: "\(dir)/comparisons.csv") {
            let comp = try Table(path: "\(dir)/comparisons.csv")
            let shown = comp.rows.filter { r in comp.column("metric").map { sweepMetrics.contains(r[$0]) } ?? false }
            body += "<h2>Paired comparisons against the baseline</h2>" + table(comp.header, shown, leftColumns: keys.count + 3)
        }
        body += "<h2>Points</h2>" + table(points.header, points.rows.filter { sweepMetrics.contains($0[mc]) }, leftColumns: keys.count + 2)
        return page("kfsim sweep: \(meta["scenario"] as? String ?? dir)", body)
    }
}
