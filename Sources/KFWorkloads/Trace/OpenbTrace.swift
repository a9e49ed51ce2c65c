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
        for row in table.rows {
            let name = try table.string(row, "sn")
            guard seen.insert(name).inserted else {
                throw InputError(file: file, line: row.line, column: 1, message: "duplicate node name '\(name)'")
            }
            let cpu = try table.int(row, "cpu_milli", max: InputBounds.cpuMilli)
            guard cpu > 0 else { throw table.error(row, "cpu_milli", "a node needs some CPU, got 0") }
            let mem = try table.int(row, "memory_mib", max: InputBounds.nodeMemory >> 20)
            let gpu = try table.int(row, "gpu", max: InputBounds.gpus)
            var labels: Labels = [:]
            if let model = table.optional(row, "model"), !model.isEmpty { labels[gpuModelLabel] = model }
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
            var names = Set<String>()
            for (i, row) in probe.rows.enumerated() {
                let name = try probe.string(row, "name")
                guard names.insert(name).inserted else { throw probe.error(row, "name", "duplicate pod name '\(name)'") }
                out.append(TracePod(name: name,
                                    requests: Resources(cpu: try probe.int(row, "cpu_milli", max: InputBounds.cpuMilli),
                                                        memory: try probe.int(row, "memory_mib", max: InputBounds.podMemory >> 20) << 20,
                                                        gpu: try probe.int(row, "num_gpu", max: InputBounds.gpus)),
                                    arrival: Double(i), duration: .infinity, gpuModels: gpuModels(probe, row),
                                    gpuMilli: try gpuMilli(probe, row)))
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
        let maxTime = Int64(InputBounds.seconds)
        for row in table.rows {
            let name = try table.string(row, "name")
            guard names.insert(name).inserted else { throw table.error(row, "name", "duplicate pod name '\(name)'") }
            let created = try table.int(row, "creation_time", max: maxTime)
            let deleted = try table.int(row, "deletion_time", max: maxTime)
            let scheduledText = table.optional(row, "scheduled_time") ?? ""
            let start = scheduledText.isEmpty ? created : try table.int(row, "scheduled_time", max: maxTime)
            guard start >= created else { throw table.error(row, "scheduled_time", "scheduled_time \(start) is before creation_time \(created)") }
            guard deleted >= start else {
                throw table.error(row, "deletion_time", "deletion_time \(deleted) is before \(scheduledText.isEmpty ? "creation" : "scheduled")_time \(start)")
            }
            out.append(TracePod(name: name,
                                requests: Resources(cpu: try table.int(row, "cpu_milli", max: InputBounds.cpuMilli),
                                                    memory: try table.int(row, "memory_mib", max: InputBounds.podMemory >> 20) << 20,
                                                    gpu: try table.int(row, "num_gpu", max: InputBounds.gpus)),
                                arrival: Double(created), duration: Double(deleted - start), gpuModels: gpuModels(table, row),
                                gpuMilli: try gpuMilli(table, row)))
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

    /// A pod's `gpu_milli` (0 when absent): 0..1000, and below 1000 only for a pod of one GPU.
    static func gpuMilli(_ table: CSVTable, _ row: CSVTable.Row) throws(InputError) -> Int32 {
        guard table.header["gpu_milli"] != nil, let text = table.optional(row, "gpu_milli"), !text.isEmpty else { return 0 }
        let milli = try table.int(row, "gpu_milli", max: 1000)
        let gpus = try table.int(row, "num_gpu", max: InputBounds.gpus)
        if milli > 0 && milli < 1000 && gpus != 1 {
            throw table.error(row, "gpu_milli", "a GPU share (gpu_milli \(milli) < 1000) needs num_gpu 1, got \(gpus)")
        }
        return gpus == 0 ? 0 : Int32(milli)
    }

    /// A pod's `gpu_spec`: the GPU models it accepts, `|`-separated (empty or absent: any).
    static func gpuModels(_ table: CSVTable, _ row: CSVTable.Row) -> [String] {
        guard let spec = table.optional(row, "gpu_spec")?.trimmingCharacters(in: .whitespaces), !spec.isEmpty else { return [] }
        return spec.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}

/// A small CSV reader for the trace files (no quoting: the traces use none), with located errors.
struct CSVTable {
    struct Row { let line: Int; let fields: [Substring] }
    let file: String
    let header: [String: Int]
    let rows: [Row]

    init(file: String, required: [String]) throws(InputError) {
        self.file = file
        let fieldsOfLine = try Self.lines(file)
        guard let first = fieldsOfLine.first, !(first.count == 1 && first[0].isEmpty) else {
            throw InputError(file: file, line: 1, column: 1, message: "empty file; expected a header line")
        }
        var header: [String: Int] = [:]
        for (i, name) in first.enumerated() {
            header[name.trimmingCharacters(in: .whitespacesAndNewlines)] = i
        }
        for name in required where header[name] == nil {
            throw InputError(file: file, line: 1, column: 1,
                             message: "missing column '\(name)'; required columns: \(required.joined(separator: ","))")
        }
        self.header = header
        var rows: [Row] = []
        rows.reserveCapacity(fieldsOfLine.count)
        for (i, f) in fieldsOfLine.enumerated().dropFirst() {
            if f.count == 1 && f[0].isEmpty { continue }
            guard f.count >= header.count else {
                throw InputError(file: file, line: i + 1, column: 1, message: "expected \(header.count) fields, found \(f.count)")
            }
            rows.append(Row(line: i + 1, fields: f))
        }
        self.rows = rows
    }

    /// A table without a header line whose columns are `columns` in order (as the PAI 2020 tables ship);
    /// a first line that names them is skipped.
    init(file: String, columns: [String]) throws(InputError) {
        self.file = file
        let fieldsOfLine = try Self.lines(file)
        var header: [String: Int] = [:]
        for (i, name) in columns.enumerated() { header[name] = i }
        self.header = header
        var rows: [Row] = []
        for (i, f) in fieldsOfLine.enumerated() {
            if f.count == 1 && f[0].isEmpty { continue }
            if i == 0 && f.count >= columns.count && zip(f, columns).allSatisfy({ $0.trimmingCharacters(in: .whitespaces) == $1 }) { continue }
            guard f.count >= columns.count else {
                throw InputError(file: file, line: i + 1, column: 1, message: "expected \(columns.count) fields (\(columns.joined(separator: ","))), found \(f.count)")
            }
            rows.append(Row(line: i + 1, fields: f))
        }
        guard !rows.isEmpty else { throw InputError(file: file, line: 1, column: 1, message: "no rows") }
        self.rows = rows
    }

    /// The file's lines split into fields (on bytes, not Characters: the traces are ASCII and grapheme
    /// splitting is slow).
    static func lines(_ file: String) throws(InputError) -> [[Substring]] {
        let text: String
        do { text = try InputFile.read(file, maxBytes: InputFile.maxTraceBytes) } catch {
            throw InputError(error)
        }
        var fieldsOfLine: [[Substring]] = []
        let utf8 = text.utf8
        var lineStart = utf8.startIndex
        var fields: [Substring] = []
        var fieldStart = lineStart
        var index = lineStart
        while index != utf8.endIndex {
            let b = utf8[index]
            if b == UInt8(ascii: ",") {
                fields.append(Substring(utf8[fieldStart..<index]))
                fieldStart = utf8.index(after: index)
            } else if b == UInt8(ascii: "\n") {
                var end = index
                if end > fieldStart && utf8[utf8.index(before: end)] == UInt8(ascii: "\r") { end = utf8.index(before: end) }
                fields.append(Substring(utf8[fieldStart..<end]))
                fieldsOfLine.append(fields)
                fields.removeAll(keepingCapacity: true)
                lineStart = utf8.index(after: index)
                fieldStart = lineStart
            }
            index = utf8.index(after: index)
        }
        if lineStart != utf8.endIndex {
            fields.append(Substring(utf8[fieldStart..<utf8.endIndex]))
            fieldsOfLine.append(fields)
        }
        return fieldsOfLine
    }

    /// A finite non-negative decimal cell (`4550879.0`); nil when empty or `NaN` (a time not yet known).
    func decimal(_ row: Row, _ name: String, max: Double = InputBounds.seconds) throws(InputError) -> Double? {
        let text = row.fields[header[name]!].trimmingCharacters(in: .whitespaces)
        if text.isEmpty || text.lowercased() == "nan" || text == "None" { return nil }
        guard let v = Double(text), v.isFinite, v >= 0 else {
            throw error(row, name, "'\(name)' must be a non-negative number, got '\(InputError.excerpt(String(text)))'")
        }
        guard v <= max else { throw error(row, name, "'\(name)' must be at most \(max), got \(v)") }
        return v
    }

    func column(_ row: Row, _ name: String) -> Int {
        // 1-based column of the field's first character.
        var col = 1
        for f in row.fields.prefix(header[name]!) { col += f.count + 1 }
        return col
    }

    func optional(_ row: Row, _ name: String) -> String? {
        header[name].map { String(row.fields[$0]) }
    }

    func string(_ row: Row, _ name: String) throws(InputError) -> String {
        let v = String(row.fields[header[name]!])
        guard !v.isEmpty else { throw InputError(file: file, line: row.line, column: column(row, name), message: "empty '\(name)'") }
        return v
    }

    /// A non-negative integer cell, at most `max` (a larger value is refused: no sum can overflow).
    func int(_ row: Row, _ name: String, max: Int64) throws(InputError) -> Int64 {
        let text = row.fields[header[name]!]
        guard let v = Int64(text), v >= 0 else {
            throw error(row, name, "'\(name)' must be a non-negative integer, got '\(InputError.excerpt(String(text)))'")
        }
        guard v <= max else { throw error(row, name, "'\(name)' must be at most \(max), got \(v)") }
        return v
    }

    /// An error at a cell.
    func error(_ row: Row, _ name: String, _ message: String) -> InputError {
        InputError(file: file, line: row.line, column: column(row, name), message: message)
    }
}
