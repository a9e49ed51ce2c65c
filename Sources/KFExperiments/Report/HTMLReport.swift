import Foundation

/// `kfsim report DIR`: a self-contained HTML page (inline CSS and SVG, nothing fetched) for a run
/// folder (summary, time series, JCT CDF, pods that never ran) or a sweep folder (each metric against
/// each swept key with 95% intervals, points with unfinished or failed runs marked, paired comparisons).
public enum HTMLReport {
    /// A CSV file as header and rows (RFC 4180 quoting, as kfsim writes it).
    struct Table {
        var header: [String]
        var rows: [[String]]
        func column(_ name: String) -> Int? { header.firstIndex(of: name) }
        func values(_ name: String) -> [String] { column(name).map { c in rows.map { c < $0.count ? $0[c] : "" } } ?? [] }

        init(path: String) throws {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw SweepError("cannot read \(path)") }
            var all: [[String]] = []
            var row: [String] = [], field = "", quoted = false
            var chars = text.makeIterator()
            while let c = chars.next() {
                if quoted {
                    if c == "\"" { quoted = false } else { field.append(c) }
                } else if c == "\"" {
                    if field.isEmpty { quoted = true } else { field.append(c) }
                } else if c == "," {
                    row.append(field); field = ""
                } else if c == "\n" {
                    row.append(field); field = ""
                    all.append(row); row = []
                } else {
                    field.append(c)
                }
            }
            if !field.isEmpty || !row.isEmpty { row.append(field); all.append(row) }
            header = all.first ?? []
            rows = Array(all.dropFirst())
        }
    }

    /// The report of the run or sweep in `directory`.
    public static func render(directory: String) throws -> String {
        let fm = FileManager.default
        if fm.fileExists(atPath: "\(directory)/runs.csv") { return try sweep(directory) }
        if fm.fileExists(atPath: "\(directory)/summary.json") { return try run(directory) }
        throw SweepError("\(directory) holds neither a run (summary.json) nor a sweep (runs.csv)")
    }

    static func page(_ title: String, _ body: String) -> String {
        """
<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>\(SVGChart.escape(title))</title>
<style>
body { font-family: sans-serif; margin: 2em; color: #222; max-width: 1100px; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; font-size: 13px; }
td, th { border: 1px solid #ccc; padding: 3px 8px; text-align: right; }
th { background: #f3f3f3; } td.l, th.l { text-align: left; }
.flag { color: #b00; } .empty { color: #888; font-style: italic; }
figure { display: inline-block; margin: 0 1em 1em 0; } figcaption { font-size: 13px; color: #555; }
</style></head><body>
<h1>\(SVGChart.escape(title))</h1>
\(body)
<p class="empty">kfsim report: no value is shown as &mdash;, never as 0.</p>
</body></html>

"""
    }

    static func cell(_ s: String?) -> String { (s ?? "").isEmpty ? "&mdash;" : SVGChart.escape(s!) }

    static func table(_ header: [String], _ rows: [[String]], leftColumns: Int = 1) -> String {
        let head = header.enumerated().map { "<th\($0.offset < leftColumns ? " class=\"l\"" : "")>\(SVGChart.escape($0.element))</th>" }.joined()
        let body = rows.map { r in
            "<tr>" + r.enumerated().map { "<td\($0.offset < leftColumns ? " class=\"l\"" : "")>\(cell($0.element))</td>" }.joined() + "</tr>"
        }.joined(separator: "\n")
        return "<table><tr>\(head)</tr>\n\(body)</table>"
    }

    static func run(_ dir: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: "\(dir)/summary.json"),
              let s = try JSONSerialization.jsonObject(with: data) as? [String: Any] else { throw SweepError("cannot read \(dir)/summary.json") }
        func num(_ v: Any?) -> String { (v as? NSNumber).map { SVGChart.short($0.doubleValue) } ?? "" }
        let jobs = s["jobs"] as? [String: Any] ?? [:]
        let jct = s["jctSeconds"] as? [String: Any] ?? [:], q = s["queueingSeconds"] as? [String: Any] ?? [:]
        let util = s["utilization"] as? [String: [String: Any]] ?? [:]
        var body = "<p>scenario <b>\(cell(s["scenario"] as? String))</b>, seed \(num(s["seed"])), stopped: \(cell(s["stopReason"] as? String)) "
            + "at \(cell(s["simulatedSeconds"].map { "\($0)" })) s simulated, \(num(s["events"])) events.</p>"
        if let why = s["nothingRan"] as? String { body += "<p class=\"flag\">Void run: \(SVGChart.escape(why))</p>" }
        body += "<h2>Summary</h2>" + table(["jobs", "succeeded", "failed", "unfinished", "JCT mean s", "p50", "p95", "p99",
                                            "JCT censored mean s", "queueing mean s", "makespan s", "cpu allocated", "cpu used"],
                                           [[num(jobs["total"]), num(jobs["succeeded"]), num(jobs["failed"]), num(jobs["unfinished"]),
                                             num(jct["mean"]), num(jct["p50"]), num(jct["p95"]), num(jct["p99"]),
                                             num(s["jctCensoredMeanSeconds"]), num(q["mean"]), num(s["makespanSeconds"]),
                                             num(util["cpu"]?["allocated"]), num(util["cpu"]?["used"])]], leftColumns: 0)
        let ts = try Table(path: "\(dir)/timeseries.csv")
        let t = ts.values("time_s").map { Double($0) ?? .nan }
        func series(_ name: String) -> SVGChart.Series { SVGChart.Series(name: name, points: zip(t, ts.values(name).map { Double($0) ?? .nan }).map { ($0, $1) }) }
        body += "<h2>Over time</h2><figure>" + SVGChart.lines([series("cpu_allocated"), series("cpu_used"), series("memory_allocated"), series("gpu_allocated")],
                                                            xLabel: "time s", yLabel: "fraction of capacity")
            + "<figcaption>Allocated (requested) and used fractions</figcaption></figure><figure>"
            + SVGChart.lines([series("pending_pods"), series("running_pods")], xLabel: "time s", yLabel: "pods")
            + "<figcaption>Pods pending and running</figcaption></figure>"
        let jobsTable = try Table(path: "\(dir)/jobs.csv")
        let done = jobsTable.values("jct_s").compactMap(Double.init).sorted()
        let unfinished = jobsTable.values("finished_s").filter(\.isEmpty).count
        let cdf = SVGChart.Series(name: "finished jobs", points: done.enumerated().map { ($1, Double($0 + 1) / Double(max(jobsTable.rows.count, 1))) })
        body += "<h2>JCT distribution</h2><figure>" + SVGChart.lines([cdf], xLabel: "JCT s", yLabel: "fraction of all jobs", steps: true)
            + "<figcaption>CDF over all \(jobsTable.rows.count) jobs\(unfinished > 0 ? "; \(unfinished) unfinished jobs never reach it (censored)" : "")</figcaption></figure>"
        if let pending = s["pendingAtEnd"] as? [[String: Any]], !pending.isEmpty {
            body += "<h2>Pods that never ran</h2>" + table(["pod", "reason"], pending.map { [$0["pod"] as? String ?? "", $0["reason"] as? String ?? ""] }, leftColumns: 2)
        }
        return page("kfsim run: \(s["scenario"] as? String ?? dir)", body)
    }
}
