import Foundation
import KFCluster
import KFEngine

/// One pod of an Alibaba openb trace (cluster-trace-gpu-v2023).
public struct TracePod: Equatable, Sendable {
    /// Pod name.
    public var name: String
    /// Requests.
    public var requests: Resources
    /// Arrival (creation_time) in seconds.
    public var arrival: Double
    /// Run time in seconds: deletion_time - scheduled_time (deletion_time - creation_time when unscheduled).
    public var duration: Double
}

/// Readers for the openb node and pod CSV files (MODEL §10).
public enum OpenbTrace {
    /// Reads `sn,cpu_milli,memory_mib,gpu,model` into node specs.
    public static func nodes(file: String) throws(InputError) -> [NodeSpec] {
        let table = try CSVTable(file: file, required: ["sn", "cpu_milli", "memory_mib", "gpu"])
        var out: [NodeSpec] = []
        out.reserveCapacity(table.rows.count)
        var seen = Set<String>()
        for row in table.rows {
            let name = try table.string(row, "sn")
            guard seen.insert(name).inserted else {
                throw InputError(file: file, line: row.line, column: 1, message: "duplicate node name '\(name)'")
            }
            let cpu = try table.int(row, "cpu_milli")
            let mem = try table.int(row, "memory_mib")
            let gpu = try table.int(row, "gpu")
            var labels: Labels = [:]
            if let model = table.optional(row, "model"), !model.isEmpty { labels["alibaba.com/gpu-model"] = model }
            out.append(NodeSpec(name: name, allocatable: Resources(cpu: cpu, memory: mem * 1024 * 1024, gpu: gpu), labels: labels))
        }
        return out
    }

    /// Reads `name,cpu_milli,memory_mib,num_gpu,...,creation_time,deletion_time,scheduled_time`, sorted by
    /// arrival then file order.
    public static func pods(file: String) throws(InputError) -> [TracePod] {
        let table = try CSVTable(file: file, required: ["name", "cpu_milli", "memory_mib", "num_gpu", "creation_time", "deletion_time", "scheduled_time"])
        var out: [TracePod] = []
        out.reserveCapacity(table.rows.count)
        for row in table.rows {
            let created = try table.int(row, "creation_time")
            let deleted = try table.int(row, "deletion_time")
            let scheduledText = table.optional(row, "scheduled_time") ?? ""
            let start = scheduledText.isEmpty ? created : try table.int(row, "scheduled_time")
            out.append(TracePod(name: try table.string(row, "name"),
                                requests: Resources(cpu: try table.int(row, "cpu_milli"), memory: try table.int(row, "memory_mib") * 1024 * 1024,
                                                    gpu: try table.int(row, "num_gpu")),
                                arrival: Double(created), duration: Double(max(0, deleted - start))))
        }
        // Stable sort by arrival keeps file order among equal times.
        return out.enumerated().sorted { $0.element.arrival != $1.element.arrival ? $0.element.arrival < $1.element.arrival : $0.offset < $1.offset }.map(\.element)
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
        guard let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8) else {
            throw InputError(file: file, line: 0, column: 0, message: "cannot read the file")
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last == "" { lines.removeLast() }
        guard let first = lines.first else { throw InputError(file: file, line: 1, column: 1, message: "empty file; expected a header line") }
        var header: [String: Int] = [:]
        for (i, name) in first.split(separator: ",", omittingEmptySubsequences: false).enumerated() {
            header[name.trimmingCharacters(in: .whitespacesAndNewlines)] = i
        }
        for name in required where header[name] == nil {
            throw InputError(file: file, line: 1, column: 1,
                             message: "missing column '\(name)'; required columns: \(required.joined(separator: ","))")
        }
        self.header = header
        var rows: [Row] = []
        rows.reserveCapacity(lines.count)
        for (i, line) in lines.enumerated().dropFirst() {
            var l = line
            if l.hasSuffix("\r") { l = l.dropLast() }
            if l.isEmpty { continue }
            let fields = l.split(separator: ",", omittingEmptySubsequences: false)
            guard fields.count >= header.count else {
                throw InputError(file: file, line: i + 1, column: 1, message: "expected \(header.count) fields, found \(fields.count)")
            }
            rows.append(Row(line: i + 1, fields: fields))
        }
        self.rows = rows
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

    func int(_ row: Row, _ name: String) throws(InputError) -> Int64 {
        let text = row.fields[header[name]!]
        guard let v = Int64(text), v >= 0 else {
            throw InputError(file: file, line: row.line, column: column(row, name),
                             message: "'\(name)' must be a non-negative integer, got '\(text)'")
        }
        return v
    }
}
