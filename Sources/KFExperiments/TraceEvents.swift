import KFControlPlane
import KFEngine

/// A run as a Chrome trace-event JSON file (`kfsim run --trace FILE`), which ui.perfetto.dev and
/// chrome://tracing open: one process per node whose threads are lanes of the pods bound there (each
/// pod a slice from binding to its end, with a nested `starting` slice until its containers run), a
/// scheduling-queue process with each pod's pending time, and counters for the cluster (CPU allocated
/// and used, memory, GPUs, pending pods) and for what the workload kinds report (training iterations
/// per second and workers per job). Times are the simulation's microseconds; every event is on its own
/// line, in time order.
public enum TraceEvents {
    struct Slice {
        var name: String
        var start: SimTime, end: SimTime
        var args: String
        var inner: (start: SimTime, end: SimTime)?
    }

    /// The trace of `r`.
    public static func json(_ r: RunResult) -> String {
        var events: [(ts: SimTime, order: Int, text: String)] = []
        var meta: [String] = []
        func process(_ pid: Int, _ name: String, sort: Int) {
            meta.append(#"{"name":"process_name","ph":"M","ts":0,"pid":\#(pid),"tid":0,"args":{"name":\#(quote(name))}}"#)
            meta.append(#"{"name":"process_sort_index","ph":"M","ts":0,"pid":\#(pid),"tid":0,"args":{"sort_index":\#(sort)}}"#)
        }
        // Counters: the cluster, then what the reporters give.
        process(1, "cluster", sort: 0)
        let series: [(String, (Sample) -> Double)] = [
            ("cpu allocated", { $0.cpuAllocated }), ("cpu used", { $0.cpuUsed }), ("memory allocated", { $0.memoryAllocated }),
            ("gpu allocated", { $0.gpuAllocated }), ("pending pods", { Double($0.pendingPods) }),
        ]
        for s in r.samples {
            // A value without data (no GPU in the cluster) is no point on the counter, not 0.
            for (name, value) in series where value(s).isFinite { events.append((s.time, 0, counter(1, name, s.time, value(s)))) }
        }
        let reported = r.reports.flatMap(\.counters)
        if !reported.isEmpty {
            process(3, "training", sort: 2)
            for c in reported { for p in c.points { events.append((p.time, 0, counter(3, c.name, p.time, p.value))) } }
        }
        // Pending time on the scheduling queue; pods on their nodes.
        let end = r.endTime
        var pending: [Slice] = []
        var byNode: [String: [Slice]] = [:]
        for p in r.pods where p.created >= 0 {
            let bound = p.scheduled >= 0 ? p.scheduled : end
            let args = #"{"owner":\#(quote(p.owner)),"phase":\#(quote(p.phase)),"attempts":\#(p.attempts),"cpu_m":\#(p.requests.cpu),"memory_bytes":\#(p.requests.memory),"gpu":\#(p.requests.gpu)}"#
            if bound > p.created { pending.append(Slice(name: p.pod, start: p.created, end: bound, args: args)) }
            guard p.scheduled >= 0, !p.node.isEmpty else { continue }
            let finish = p.finished >= 0 ? p.finished : end
            let started = p.started >= 0 ? p.started : finish
            byNode[p.node, default: []].append(Slice(name: p.pod, start: p.scheduled, end: finish, args: args,
                                                     inner: started > p.scheduled ? (p.scheduled, started) : nil))
        }
        process(2, "scheduling queue (pending pods)", sort: 1)
        events += slices(pending, pid: 2)
        for (i, node) in byNode.keys.sorted().enumerated() {
            process(10 + i, node, sort: 10 + i)
            events += slices(byNode[node]!, pid: 10 + i)
        }
        events.sort { $0.ts != $1.ts ? $0.ts < $1.ts : $0.order < $1.order }
        return #"{"displayTimeUnit":"ms","otherData":{"kfsim":\#(quote(kfsimVersion)),"scenario":\#(quote(r.scenario)),"seed":\#(r.seed)},"traceEvents":["#
            + "\n" + (meta + events.map(\.text)).joined(separator: ",\n") + "\n]}\n"
    }

    /// Complete events of `items` on lanes (threads) of process `pid`: each slice goes to the first lane
    /// free at its start, so slices on a lane never overlap and nested ones share their parent's lane.
    static func slices(_ items: [Slice], pid: Int) -> [(ts: SimTime, order: Int, text: String)] {
        var laneEnds: [SimTime] = []
        var out: [(ts: SimTime, order: Int, text: String)] = []
        for s in items.sorted(by: { $0.start != $1.start ? $0.start < $1.start : $0.name < $1.name }) {
            let lane = laneEnds.firstIndex { $0 <= s.start } ?? laneEnds.count
            if lane == laneEnds.count { laneEnds.append(s.end) } else { laneEnds[lane] = s.end }
            let tid = lane + 1
            // At one instant the outer slice comes first (order 1), then the nested one (order 2).
            out.append((s.start, 1, #"{"name":\#(quote(s.name)),"ph":"X","ts":\#(s.start),"dur":\#(s.end - s.start),"pid":\#(pid),"tid":\#(tid),"args":\#(s.args)}"#))
            if let inner = s.inner {
                out.append((inner.start, 2, #"{"name":"starting","ph":"X","ts":\#(inner.start),"dur":\#(inner.end - inner.start),"pid":\#(pid),"tid":\#(tid)}"#))
            }
        }
        return out
    }

    static func counter(_ pid: Int, _ name: String, _ ts: SimTime, _ value: Double) -> String {
        let v = Format.number(value)
        return #"{"name":\#(quote(name)),"ph":"C","ts":\#(ts),"pid":\#(pid),"tid":0,"args":{"value":\#(v)}}"#
    }

    static func quote(_ s: String) -> String { JSONValue.string(s).rendered() }
}
