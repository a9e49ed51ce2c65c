import Foundation
import Testing
import KFTestSupport

/// `--trace FILE` writes Chrome/Perfetto trace-event JSON: checked against the format on the
/// ps-training run (required fields, slices well nested per track, timestamps in order, counters
/// numeric, a process per node).
@Suite struct TraceTests {
    @Test func psTrainingTraceFollowsTheTraceEventFormat() throws {
        let dir = Scratch.path("trace")
        let r = try CLITests.run(["run", "scenarios/ps-training/ps-training.yaml", "--out", "\(dir)/out", "--trace", "\(dir)/trace.json"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("\(dir)/trace.json"))
        let data = try Data(contentsOf: URL(fileURLWithPath: "\(dir)/trace.json"))
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let events = try #require(root["traceEvents"] as? [[String: Any]])
        var lastTs = -1
        var open: [String: [(end: Int, name: String)]] = [:]
        var processes: [Int: String] = [:]
        var counters = Set<String>()
        var slices = 0
        for e in events {
            let name = try #require(e["name"] as? String)
            let ph = try #require(e["ph"] as? String)
            let pid = try #require(e["pid"] as? Int), tid = try #require(e["tid"] as? Int)
            let ts = try #require(e["ts"] as? Int)
            switch ph {
            case "M":
                #expect(ts == 0)
                if name == "process_name" { processes[pid] = (e["args"] as? [String: Any])?["name"] as? String }
            case "X":
                // Timestamps never go back; a slice ends within every slice open on its track.
                #expect(ts >= lastTs, "\(name) at \(ts) after \(lastTs)")
                lastTs = ts
                let dur = try #require(e["dur"] as? Int)
                #expect(dur >= 0)
                let track = "\(pid)/\(tid)"
                var stack = open[track] ?? []
                while let top = stack.last, top.end <= ts { stack.removeLast() }
                if let top = stack.last { #expect(ts + dur <= top.end, "\(name) overlaps \(top.name) on \(track)") }
                stack.append((ts + dur, name))
                open[track] = stack
                slices += 1
            case "C":
                #expect(ts >= lastTs)
                lastTs = ts
                let args = try #require(e["args"] as? [String: Any])
                #expect(args["value"] is NSNumber, "\(name): \(args)")
                counters.insert(name)
            default:
                Issue.record("unexpected phase \(ph)")
            }
        }
        #expect(processes[1] == "cluster" && processes[2] == "scheduling queue (pending pods)")
        #expect(Set(processes.values).isSuperset(of: ["node-0", "node-1", "node-2", "node-3"]))
        #expect(counters.isSuperset(of: ["cpu allocated", "cpu used", "memory allocated", "pending pods", "cnn-small-0 iterations/s", "cnn-small-0 workers"]))
        // Every pod that ran is a slice on its node (88 pods), with its starting phase nested.
        #expect(slices > 88)
    }
}

/// `kfsim report DIR`: a self-contained HTML page for a run and for a sweep.
@Suite struct ReportTests {
    @Test func runAndSweepReportsAreSelfContainedPages() throws {
        let dir = Scratch.path("report")
        #expect(try CLITests.run(["run", "scenarios/ps-training/ps-training.yaml", "--out", "\(dir)/run", "--quiet"]).status == 0)
        let r = try CLITests.run(["report", "\(dir)/run"])
        #expect(r.status == 0 && r.stdout == "\(dir)/run/report.html\n", "\(r.stderr)")
        let page = try String(contentsOfFile: "\(dir)/run/report.html", encoding: .utf8)
        #expect(page.hasPrefix("<!DOCTYPE html>") && page.contains("<h2>JCT distribution</h2>") && page.contains("<svg"))
        // Self-contained: nothing is fetched.
        #expect(!page.contains("src=") && !page.contains("href=") && !page.contains("<script"))
        #expect(try CLITests.run(["sweep", "scenarios/container-count.yaml", "--param", "workloads.fanout.containers=2,4,8", "--seeds", "2",
                                  "--out", "\(dir)/sweep", "--quiet"]).status == 0)
        let s = try CLITests.run(["report", "\(dir)/sweep", "--out", "\(dir)/sweep.html"])
        #expect(s.status == 0, "\(s.stderr)")
        let sweep = try String(contentsOfFile: "\(dir)/sweep.html", encoding: .utf8)
        #expect(sweep.contains("jct_mean_s by workloads.fanout.containers: mean and 95% interval over seeds") && sweep.contains("<h2>Points</h2>"))
        let none = try CLITests.run(["report", dir])
        #expect(none.status == 2 && none.stderr.contains("holds neither a run (summary.json) nor a sweep (runs.csv)"))
    }
}
