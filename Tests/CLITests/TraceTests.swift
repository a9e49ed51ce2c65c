import Foundation
import Testing

/// `--trace FILE` writes Chrome/Perfetto trace-event JSON: checked against the format on the
/// ps-training run (required fields, slices well nested per track, timestamps in order, counters
/// numeric, a process per node).
@Suite struct TraceTests {
    @Test func psTrainingTraceFollowsTheTraceEventFormat() throws {
        let dir = NSTemporaryDirectory() + "kfsim-trace-\(UUID().uuidString)"
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
