import KFCluster
import KFConfig
import KFControlPlane

extension WorkloadKind {
    /// `kind: Trace`: a replay of a job trace, one single-pod job per trace pod: an openb pod list
    /// (`pods`, the default format), a generic CSV (`format: csv`, `pods`, `columns`, `units`), Alibaba
    /// PAI 2020 (`format: pai`, `jobs`, `tasks`) or Microsoft Philly (`format: philly`, `jobs`);
    /// optionally the first `limit` pods, arrivals compressed by `loadFactor` (durations kept) and all
    /// times multiplied by `timeScale`. `gpuSharing: true` keeps openb's GPU shares (`gpu_milli` below 1000)
    /// as shares of one device (`PodSpec.gpuMilli`; schedule with the `Open-Gpu-Share` plugin) instead
    /// of rounding them up to a whole GPU. `resources` gives what a format does not say (Philly's CPU and
    /// memory; a CSV's missing columns).
    public static let trace = WorkloadKind(name: "Trace", keys: ["pods", "timeScale", "limit", "format", "jobs", "tasks", "columns", "units",
                                                                 "resources", "loadFactor", "gpuSharing"]) { (e: WorkloadEntry) throws(ConfigError) in
        let f = e.fields
        let format = try f["format"]?.oneOf(["openb", "csv", "pai", "philly"]) ?? "openb"
        let defaults = try f["resources"].map { (n: ConfigNode) throws(ConfigError) -> Resources in
            let r = try e.context.resourceList(n)
            return Resources(cpu: r.cpu ?? 1000, memory: r.memory ?? 0, gpu: r.gpu ?? 0)
        } ?? Resources(cpu: 1000, memory: 1 << 30, gpu: 0)
        func file(_ key: String) throws(ConfigError) -> (String, ConfigNode) {
            guard let node = f[key] else { throw e.node.error("format \(format) needs '\(key)'") }
            return (e.context.resolve(try node.name()), node)
        }
        var pods: [TracePod]
        switch format {
        case "openb":
            let (path, node) = try file("pods")
            do throws(InputError) { pods = try OpenbTrace.pods(file: path) } catch { throw error.located(under: node) }
        case "csv":
            let (path, node) = try file("pods")
            let mapping = try e.context.traceMapping(try f.required("columns"), units: f["units"])
            do throws(InputError) { pods = try TraceFormats.csv(file: path, mapping: mapping, defaults: defaults) } catch { throw error.located(under: node) }
        case "pai":
            let (jobs, jobsNode) = try file("jobs")
            let (tasks, tasksNode) = try file("tasks")
            do throws(InputError) { pods = try TraceFormats.pai(jobs: jobs, tasks: tasks) } catch {
                throw error.located(under: error.file == tasks ? tasksNode : jobsNode)
            }
        default:
            let (path, node) = try file("jobs")
            do throws(InputError) { pods = try TraceFormats.philly(file: path, perPod: defaults) } catch { throw error.located(under: node) }
        }
        if let l = f["limit"] { pods = Array(pods.prefix(Int(try l.int(0...Int64(Int32.max))))) }
        if let factor = f["loadFactor"] { pods = TraceFormats.scaleLoad(pods, by: try factor.double(1e-6...1e6)) }
        let scale = try f["timeScale"]?.double(1e-9...1e9) ?? 1
        let sharing = try f["gpuSharing"]?.bool() ?? false
        if sharing && format != "openb" { throw f["gpuSharing"]!.error("gpuSharing needs an openb pod list (its gpu_milli column)") }
        let frozen = pods, name = e.name, namespace = e.namespace
        let requirements = sharing ? [SchedulerRequirement(plugin: "Open-Gpu-Share", points: [.filter, .reserve], error: f["gpuSharing"]!.error(
            "gpuSharing needs the Open-Gpu-Share plugin at filter and reserve (spec.scheduler.profiles[].plugins.multiPoint.enabled: [{name: Open-Gpu-Share}])"))] : []
        return LoadedWorkload(requirements: requirements) {
            SinglePodJobController.traceReplay(name: name, pods: frozen, namespace: namespace, timeScale: scale, gpuSharing: sharing)
        }
    }
}

extension LoadContext {
    /// `columns: {arrival, duration | end, start, name, cpu, memory, gpu}` and `units: {time: s|ms|us|min|h,
    /// cpu: cores|millicores|percent, memory: bytes|KiB|MiB|GiB|KB|MB|GB, gpu: gpus|percent}`.
    func traceMapping(_ node: ConfigNode, units: ConfigNode?) throws(ConfigError) -> TraceFormats.CSVMapping {
        let c = try node.mapping(["arrival", "duration", "start", "end", "name", "cpu", "memory", "gpu"])
        var m = TraceFormats.CSVMapping(arrival: try c.required("arrival").string())
        m.duration = try c["duration"]?.string()
        m.end = try c["end"]?.string()
        m.start = try c["start"]?.string()
        guard (m.duration == nil) != (m.end == nil) else { throw node.error("give either 'duration' or 'end' (with 'start' or the arrival)") }
        m.name = try c["name"]?.string()
        m.cpu = try c["cpu"]?.string()
        m.memory = try c["memory"]?.string()
        m.gpu = try c["gpu"]?.string()
        if let units {
            let u = try units.mapping(["time", "cpu", "memory", "gpu"])
            if let t = u["time"] { m.timeUnit = ["s": 1, "ms": 1e-3, "us": 1e-6, "min": 60, "h": 3600][try t.oneOf(["s", "ms", "us", "min", "h"])]! }
            if let t = u["cpu"] { m.cpuUnit = ["cores": 1000, "millicores": 1, "percent": 10][try t.oneOf(["cores", "millicores", "percent"])]! }
            if let t = u["memory"] {
                let bytes: [String: Double] = ["bytes": 1, "KiB": 1024, "MiB": 1_048_576, "GiB": 1_073_741_824, "KB": 1e3, "MB": 1e6, "GB": 1e9]
                m.memoryUnit = bytes[
                    try t.oneOf(["bytes", "KiB", "MiB", "GiB", "KB", "MB", "GB"])]!
            }
            if let t = u["gpu"] { m.gpuUnit = ["gpus": 1, "percent": 0.01][try t.oneOf(["gpus", "percent"])]! }
        }
        return m
    }
}
