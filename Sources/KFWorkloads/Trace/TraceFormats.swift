import Foundation
import KFCluster
import KFConfig

/// Readers for job traces other than openb, each turned into pods with an arrival and a run time:
/// a generic CSV with a column mapping, Alibaba PAI 2020 (job and task tables) and Microsoft Philly
/// (`cluster_job_log`). Fractional GPUs are rounded up to whole ones (kfsim accounts whole devices).
public enum TraceFormats {
    /// How a generic CSV's columns map to pods, and their units.
    public struct CSVMapping: Sendable {
        /// Column names: `arrival` is required; `duration`, or `end` (minus `start`, else arrival).
        public var name: String?, arrival: String, duration: String?, start: String?, end: String?
        public var cpu: String?, memory: String?, gpu: String?
        /// Seconds per time unit, millicores per CPU unit, bytes per memory unit, GPUs per GPU unit.
        public var timeUnit = 1.0, cpuUnit = 1000.0, memoryUnit = 1.0, gpuUnit = 1.0
        /// A mapping.
        public init(arrival: String) { self.arrival = arrival }
    }

    /// Pods of a generic CSV trace (header line; one pod per row).
    public static func csv(file: String, mapping m: CSVMapping, defaults: Resources) throws(InputError) -> [TracePod] {
        let required = [m.arrival] + [m.name, m.duration, m.start, m.end, m.cpu, m.memory, m.gpu].compactMap { $0 }
        let table = try CSVTable(file: file, required: required)
        var out: [TracePod] = []
        for (i, row) in table.rows.enumerated() {
            guard let arrival = try table.decimal(row, m.arrival) else { throw table.error(row, m.arrival, "empty '\(m.arrival)'") }
            var duration: Double
            if let d = m.duration {
                guard let v = try table.decimal(row, d) else { throw table.error(row, d, "empty '\(d)'") }
                duration = v * m.timeUnit
            } else {
                let e = m.end!
                guard let end = try table.decimal(row, e) else { throw table.error(row, e, "empty '\(e)'") }
                let start = try m.start.flatMap { (s: String) throws(InputError) in try table.decimal(row, s) } ?? arrival
                guard end >= start else { throw table.error(row, e, "'\(e)' \(end) is before the start \(start)") }
                duration = (end - start) * m.timeUnit
            }
            func amount(_ column: String?, _ unit: Double, _ fallback: Int64, _ bound: Int64) throws(InputError) -> Int64 {
                guard let column else { return fallback }
                guard let v = try table.decimal(row, column, max: Double(bound) / unit) else { return fallback }
                return Int64((v * unit).rounded(.up))
            }
            let requests = Resources(cpu: try amount(m.cpu, m.cpuUnit, defaults.cpu, InputBounds.cpuMilli),
                                     memory: try amount(m.memory, m.memoryUnit, defaults.memory, InputBounds.podMemory),
                                     gpu: try amount(m.gpu, m.gpuUnit, defaults.gpu, InputBounds.gpus))
            let name = m.name.map { table.text(row, table.header[$0]!) } ?? "row-\(i + 1)"
            out.append(TracePod(name: name, requests: requests, arrival: arrival * m.timeUnit, duration: duration))
        }
        return sortedByArrival(out)
    }

    /// Pods of an Alibaba PAI 2020 trace (cluster-trace-gpu-v2020): `pai_job_table.csv` (job_name,
    /// inst_id, user, status, start_time, end_time: the job's submission) and `pai_task_table.csv`
    /// (job_name, task_name, inst_num, status, start_time, end_time, plan_cpu, plan_mem, plan_gpu,
    /// gpu_type), headerless as published. Every instance of a task is a pod arriving at its job's
    /// submission and running its task's end - start; plan_cpu is percent of a core, plan_mem GB (GiB),
    /// plan_gpu percent of a GPU (rounded up to whole GPUs). Tasks that never ran (no start or end
    /// time) are left out.
    public static func pai(jobs: String, tasks: String) throws(InputError) -> [TracePod] {
        // Keyed by the task table, with the job table's path, size and time in the kind.
        let stamp = (try? FileManager.default.attributesOfItem(atPath: jobs)).map { "\($0[.size] ?? 0)|\($0[.modificationDate] ?? 0)" } ?? ""
        return try InputCache.shared.value("pai|\(jobs)|\(stamp)", file: tasks) { () throws(InputError) in try readPAI(jobs: jobs, tasks: tasks) }
    }

    static func readPAI(jobs: String, tasks: String) throws(InputError) -> [TracePod] {
        let jobTable = try CSVTable(file: jobs, columns: ["job_name", "inst_id", "user", "status", "start_time", "end_time"])
        var submitted: [String: Double] = [:]
        for row in jobTable.rows {
            if let t = try jobTable.decimal(row, "start_time") { submitted[jobTable.text(row, 0)] = t }
        }
        let taskTable = try CSVTable(file: tasks, columns: ["job_name", "task_name", "inst_num", "status", "start_time", "end_time",
                                                           "plan_cpu", "plan_mem", "plan_gpu", "gpu_type"])
        var out: [TracePod] = []
        for row in taskTable.rows {
            let job = taskTable.text(row, 0), task = taskTable.text(row, 1)
            guard let start = try taskTable.decimal(row, "start_time"), let end = try taskTable.decimal(row, "end_time") else { continue }
            guard end >= start else { throw taskTable.error(row, "end_time", "end_time \(end) is before start_time \(start)") }
            let count = Int(try taskTable.decimal(row, "inst_num", max: 100_000) ?? 1)
            let cpu = try taskTable.decimal(row, "plan_cpu", max: Double(InputBounds.cpuMilli) / 10) ?? 0
            let mem = try taskTable.decimal(row, "plan_mem", max: Double(InputBounds.podMemory >> 30)) ?? 0
            let gpu = try taskTable.decimal(row, "plan_gpu", max: Double(InputBounds.gpus) * 100) ?? 0
            let requests = Resources(cpu: Int64((cpu * 10).rounded(.up)), memory: Int64((mem * Double(1 << 30)).rounded(.up)),
                                     gpu: Int64((gpu / 100).rounded(.up)))
            let arrival = min(submitted[job] ?? start, start)
            for i in 0..<max(1, count) {
                out.append(TracePod(name: "\(job)-\(task)-\(i)", requests: requests, arrival: arrival, duration: end - start))
            }
        }
        return sortedByArrival(out)
    }

    /// Pods of a Microsoft Philly trace (`cluster_job_log`, a JSON list of jobs with `jobid`,
    /// `submitted_time`, `attempts: [{start_time, end_time, detail: [{ip, gpus: [...]}]}]`): one pod per
    /// machine of the first attempt with its GPUs and `perPod` CPU and memory, arriving at submission and
    /// running from the first attempt's start to the last attempt's end. Jobs that never ran are left out.
    public static func philly(file: String, perPod: Resources) throws(InputError) -> [TracePod] {
        try InputCache.shared.value("philly|\(perPod)", file: file) { () throws(InputError) in try readPhilly(file: file, perPod: perPod) }
    }

    static func readPhilly(file: String, perPod: Resources) throws(InputError) -> [TracePod] {
        let text: String
        do { text = try InputFile.read(file, maxBytes: InputFile.maxTraceBytes) } catch { throw InputError(error) }
        guard let jobs = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [[String: Any]] else {
            throw InputError(file: file, line: 1, column: 1, message: "expected a JSON list of jobs (Philly's cluster_job_log)")
        }
        let format = DateFormatter()
        format.locale = Locale(identifier: "en_US_POSIX")
        format.timeZone = TimeZone(identifier: "UTC")
        format.dateFormat = "yyyy-MM-dd HH:mm:ss"
        func time(_ value: Any?) -> Double? {
            guard let s = value as? String, let d = format.date(from: s) else { return nil }
            return d.timeIntervalSince1970
        }
        var out: [TracePod] = []
        for (k, job) in jobs.enumerated() {
            guard let id = job["jobid"] as? String else {
                throw InputError(file: file, line: 1, column: 1, message: "job \(k + 1): missing 'jobid'")
            }
            guard let submitted = time(job["submitted_time"]) else {
                throw InputError(file: file, line: 1, column: 1, message: "job \(id): 'submitted_time' must be a time like 2017-10-03 02:56:56")
            }
            let attempts = job["attempts"] as? [[String: Any]] ?? []
            guard let first = attempts.first, let start = time(first["start_time"]),
                  let end = attempts.reversed().lazy.compactMap({ time($0["end_time"]) }).first, end >= start else { continue }
            let machines = first["detail"] as? [[String: Any]] ?? []
            for (m, machine) in machines.enumerated() {
                var requests = perPod
                requests.gpu = Int64((machine["gpus"] as? [Any])?.count ?? 0)
                out.append(TracePod(name: machines.count > 1 ? "\(id)-\(m)" : id, requests: requests, arrival: submitted, duration: end - start))
            }
        }
        // Times relative to the first submission.
        let origin = out.map(\.arrival).min() ?? 0
        return sortedByArrival(out.map { var p = $0; p.arrival -= origin; return p })
    }

    /// Pods sorted by arrival, file order among equal times.
    static func sortedByArrival(_ pods: [TracePod]) -> [TracePod] {
        // Traces usually come sorted: then there is nothing to do.
        if zip(pods, pods.dropFirst()).allSatisfy({ $0.arrival <= $1.arrival }) { return pods }
        return pods.enumerated().sorted { $0.element.arrival != $1.element.arrival ? $0.element.arrival < $1.element.arrival : $0.offset < $1.offset }
            .map(\.element)
    }

    /// Arrivals compressed by `factor` from the first one (durations kept): load x factor.
    public static func scaleLoad(_ pods: [TracePod], by factor: Double) -> [TracePod] {
        guard factor != 1, let origin = pods.first?.arrival else { return pods }
        return pods.map { var p = $0; p.arrival = origin + (p.arrival - origin) / factor; return p }
    }
}
