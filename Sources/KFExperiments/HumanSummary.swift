import KFEngine

/// The one-screen summary `kfsim run` prints.
public enum HumanSummary {
    /// Renders `result`; `wallSeconds` (not part of any file) gives the event rate.
    public static func render(_ r: RunResult, wallSeconds: Double?, outputs: [String] = []) -> String {
        let s = r.summary
        func f(_ v: Double, _ d: Int = 1) -> String { String(format: "%.\(d)f", v) }
        // No data reads "-", never 0.
        func o(_ v: Double?) -> String { v.map { f($0) } ?? "-" }
        func pct(_ v: Double?) -> String { v.map { f($0 * 100) + "%" } ?? "-" }
        var lines: [String] = []
        lines.append("kfsim \(kfsimVersion): \(r.scenario) (seed \(r.seed), scenario \(r.scenarioHash))")
        var stop = "\(r.stopReason.rawValue) at \(f(Clock.seconds(r.endTime))) s simulated, \(r.events) events"
        if let w = wallSeconds, w > 0 { stop += " in \(f(w, 3)) s (\(Int(Double(r.events) / w)) events/s)" }
        lines.append("stopped:     " + stop)
        lines.append("jobs:        \(s.jobsTotal) (\(s.jobsSucceeded) succeeded, \(s.jobsFailed) failed, \(s.jobsUnfinished) unfinished)")
        var jct = "JCT s:       mean \(o(s.jct.mean)), p50 \(o(s.jct.p50)), p95 \(o(s.jct.p95)), p99 \(o(s.jct.p99))"
        if s.jobsUnfinished > 0 { jct += "; with \(s.jobsUnfinished) unfinished censored at the stop: mean \(o(s.jctCensoredMean))" }
        lines.append(jct)
        lines.append("queueing s:  mean \(o(s.queueing.mean)), p50 \(o(s.queueing.p50)), p95 \(o(s.queueing.p95)), p99 \(o(s.queueing.p99))")
        lines.append("makespan s:  \(o(s.makespan))")
        lines.append("utilisation: cpu allocated \(pct(s.cpuAllocated)), used \(pct(s.cpuUsed)); memory \(pct(s.memoryAllocated)); gpu allocated \(pct(s.gpuAllocated)), used \(pct(s.gpuUsed))")
        lines.append("pods:        " + s.podPhases.filter { $0.1 > 0 || $0.0 == "Succeeded" }.map { "\($0.1) \($0.0)" }.joined(separator: ", "))
        if !s.pendingAtEnd.isEmpty {
            lines.append("not running at the end:")
            for p in s.pendingAtEnd.prefix(5) { lines.append("  \(p.pod): \(p.reason)") }
            let more = s.podPhases.filter { $0.0 == "Pending" || $0.0 == "NotCreated" }.reduce(0) { $0 + $1.1 } - min(5, s.pendingAtEnd.count)
            if more > 0 { lines.append("  ... and \(more) more (see pods.csv)") }
        }
        for report in r.reports { lines += report.lines }
        // Every file written, one per line.
        for (i, path) in outputs.enumerated() { lines.append((i == 0 ? "outputs:     " : "             ") + path) }
        return lines.joined(separator: "\n") + "\n"
    }
}
