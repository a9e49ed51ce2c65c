import Foundation
import KFCluster
import KFControlPlane
import KFEngine
import KFConfig

/// One pod of an Alibaba openb trace (cluster-trace-gpu-v2023).
public struct TracePod: Equatable, Sendable {
    /// Pod name.
    public var name: String
    /// Requests.
    public var requests: Resources
    /// Arrival (creation_time) in seconds.
    public var arrival: Double
    /// Run time in seconds: deletion_time - scheduled_time (deletion_time - creation_time when unscheduled);
    /// infinite for the variants without times (the pod runs to the end of the run).
    public var duration: Double
    /// GPU models the pod accepts (openb's `gpu_spec`, `|`-separated); empty: any.
    public var gpuModels: [String] = []
    /// Milli-GPU per device (openb's `gpu_milli`: 1..999 a share of one GPU, 1000 whole GPUs; 0 when the
    /// trace does not say or the pod uses no GPU).
    public var gpuMilli: Int32 = 0
}

/// Readers for the openb node and pod CSV files (MODEL §10).
public enum OpenbTrace {
    /// Reads `sn,cpu_milli,memory_mib,gpu,model` into node specs.
    public static func nodes(file: String) throws(InputError) -> [NodeSpec] {
        try InputCache.shared.value("openb-nodes", file: file) { () throws(InputError) in try readNodes(file: file) }
    }

    static func readNodes(file: String) throws(InputError) -> [NodeSpec] {
        let table = try CSVTable(file: file, required: ["sn", "cpu_milli", "memory_mib", "gpu"])
        var out: [NodeSpec] = []
        out.reserveCapacity(table.rows.count)
        var seen = Set<String>()
        seen.reserveCapacity(table.rows.count)
        let sn = table.column("sn"), cpuMilli = table.column("cpu_milli"), memoryMiB = table.column("memory_mib")
        let gpus = table.column("gpu"), model = table.header["model"]
        for row in table.rows {
            let name = try table.string(row, sn)
            guard seen.insert(name).inserted else {
                throw InputError(file: file, line: row.line, column: 1, message: "duplicate node name '\(name)'")
            }
            let cpu = try table.int(row, cpuMilli, max: InputBounds.cpuMilli)
            guard cpu > 0 else { throw table.error(row, "cpu_milli", "a node needs some CPU, got 0") }
            let mem = try table.int(row, memoryMiB, max: InputBounds.nodeMemory >> 20)
            let gpu = try table.int(row, gpus, max: InputBounds.gpus)
            var labels: Labels = [:]
            if let model, case let text = table.text(row, model), !text.isEmpty { labels[gpuModelLabel] = text }
            out.append(NodeSpec(name: name, allocatable: Resources(cpu: cpu, memory: mem * 1024 * 1024, gpu: gpu), labels: labels))
        }
        return out
    }

    /// Reads `name,cpu_milli,memory_mib,num_gpu,...,creation_time,deletion_time,scheduled_time`, sorted by
    /// arrival then file order.
    public static func pods(file: String) throws(InputError) -> [TracePod] {
        try InputCache.shared.value("openb-pods", file: file) { () throws(InputError) in try readPods(file: file) }
    }

    static func readPods(file: String) throws(InputError) -> [TracePod] {
        let probe = try CSVTable(file: file, required: ["name", "cpu_milli", "memory_mib", "num_gpu"])
        // The cluster-filling variants (openb_pod_list_multigpu50, cpu100, gpushare*) have no times: pods
        // arrive one a second in file order and never end.
        if probe.header["creation_time"] == nil && probe.header["deletion_time"] == nil {
            var out: [TracePod] = []
            out.reserveCapacity(probe.rows.count)
            var names = Set<String>()
            names.reserveCapacity(probe.rows.count)
            let gpuColumns = GPUColumns(probe), nameColumn = probe.column("name"), cpu = probe.column("cpu_milli")
            let memory = probe.column("memory_mib")
            for (i, row) in probe.rows.enumerated() {
                let name = try probe.string(row, nameColumn)
                guard names.insert(name).inserted else { throw probe.error(row, "name", "duplicate pod name '\(name)'") }
                out.append(TracePod(name: name,
                                    requests: Resources(cpu: try probe.int(row, cpu, max: InputBounds.cpuMilli),
                                                        memory: try probe.int(row, memory, max: InputBounds.podMemory >> 20) << 20,
                                                        gpu: try probe.int(row, gpuColumns.gpus, max: InputBounds.gpus)),
                                    arrival: Double(i), duration: .infinity, gpuModels: gpuModels(probe, row, gpuColumns),
                                    gpuMilli: try gpuMilli(probe, row, gpuColumns)))
            }
            return out
        }
        let required = ["name", "cpu_milli", "memory_mib", "num_gpu", "creation_time", "deletion_time", "scheduled_time"]
        for name in required where probe.header[name] == nil {
            throw InputError(file: file, line: 1, column: 1, message: "missing column '\(name)'; required columns: \(required.joined(separator: ","))")
        }
        let table = probe
        var out: [TracePod] = []
        out.reserveCapacity(table.rows.count)
        var names = Set<String>()
        names.reserveCapacity(table.rows.count)
        let maxTime = Int64(InputBounds.seconds)
        let name = table.column("name"), creation = table.column("creation_time"), deletion = table.column("deletion_time")
        let scheduled = table.column("scheduled_time"), cpu = table.column("cpu_milli"), memory = table.column("memory_mib")
        let gpus = table.column("num_gpu"), gpuColumns = GPUColumns(table)
        for row in table.rows {
            let podName = try table.string(row, name)
            guard names.insert(podName).inserted else { throw table.error(row, "name", "duplicate pod name '\(podName)'") }
            let created = try table.int(row, creation, max: maxTime)
            let deleted = try table.int(row, deletion, max: maxTime)
            let unscheduled = table.isEmpty(row, scheduled)
            let start = unscheduled ? created : try table.int(row, scheduled, max: maxTime)
            guard start >= created else { throw table.error(row, "scheduled_time", "scheduled_time \(start) is before creation_time \(created)") }
            guard deleted >= start else {
                throw table.error(row, "deletion_time", "deletion_time \(deleted) is before \(unscheduled ? "creation" : "scheduled")_time \(start)")
            }
            out.append(TracePod(name: podName,
                                requests: Resources(cpu: try table.int(row, cpu, max: InputBounds.cpuMilli),
                                                    memory: try table.int(row, memory, max: InputBounds.podMemory >> 20) << 20,
                                                    gpu: try table.int(row, gpus, max: InputBounds.gpus)),
                                arrival: Double(created), duration: Double(deleted - start), gpuModels: gpuModels(table, row, gpuColumns),
                                gpuMilli: try gpuMilli(table, row, gpuColumns)))
        }
        return TraceFormats.sortedByArrival(out)
    }
}

extension OpenbTrace {
    /// The node label carrying an openb node's GPU model (its `model` column).
    public static let gpuModelLabel = GPUFragmentation.gpuModelLabel

    /// The trace's typical pods (the fragmentation measure's target workload): shapes by CPU (at least
    /// 100m), GPU share per device, devices and models.
    public static func typicalPods(_ pods: [TracePod]) -> [TypicalGPUPod] {
        GPUFragmentation.typicalPods(pods.map { p in
            let milli: Int32 = p.requests.gpu == 0 ? 0 : (p.gpuMilli > 0 ? p.gpuMilli : 1000)
            return TypicalGPUPod(cpu: max(p.requests.cpu, 100), milli: milli, count: Int32(p.requests.gpu), models: p.gpuModels)
        })
    }

    /// The GPU columns of a pod table, looked up once.
    struct GPUColumns {
        let milli: CSVTable.Column?, spec: CSVTable.Column?, gpus: CSVTable.Column
        init(_ table: CSVTable) {
            milli = table.header["gpu_milli"].map { CSVTable.Column(name: "gpu_milli", index: $0) }
            spec = table.header["gpu_spec"].map { CSVTable.Column(name: "gpu_spec", index: $0) }
            gpus = table.column("num_gpu")
        }
    }

    /// A pod's `gpu_milli` (0 when absent): 0..1000, and below 1000 only for a pod of one GPU.
    static func gpuMilli(_ table: CSVTable, _ row: CSVTable.Row, _ columns: GPUColumns) throws(InputError) -> Int32 {
        guard let column = columns.milli, !table.isEmpty(row, column) else { return 0 }
        let milli = try table.int(row, column, max: 1000)
        let gpus = try table.int(row, columns.gpus, max: InputBounds.gpus)
        if milli > 0 && milli < 1000 && gpus != 1 {
            throw table.error(row, "gpu_milli", "a GPU share (gpu_milli \(milli) < 1000) needs num_gpu 1, got \(gpus)")
        }
        return gpus == 0 ? 0 : Int32(milli)
    }

    /// A pod's `gpu_spec`: the GPU models it accepts, `|`-separated (empty or absent: any).
    static func gpuModels(_ table: CSVTable, _ row: CSVTable.Row, _ columns: GPUColumns) -> [String] {
        guard let column = columns.spec, !table.isEmpty(row, column),
              case let spec = table.text(row, column.index).trimmingCharacters(in: .whitespaces), !spec.isEmpty else { return [] }
        return spec.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
