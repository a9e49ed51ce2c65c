import Foundation

/// Merges shard outputs into the files the unsharded sweep would have written.
public enum SweepMerge {
    /// Reads the shards' `runs.csv`, checks they belong to `plan` and cover every run exactly once,
    /// and writes the merged outputs into `directory`.
    public static func merge(plan: SweepPlan, shards: [String], into directory: String) throws -> SweepTable {
        var table = SweepTable(plan: plan)
        for dir in shards {
            guard let meta = FileManager.default.contents(atPath: "\(dir)/sweep.json").map({ String(decoding: $0, as: UTF8.self) }) else {
                throw SweepError("\(dir)/sweep.json is missing: not a finished shard")
            }
            guard meta.contains("\"sweep\": \"\(plan.identity)\"") else {
                throw SweepError("\(dir) is a shard of another sweep (other scenario, parameters or seeds)")
            }
            guard let data = FileManager.default.contents(atPath: "\(dir)/runs.csv") else {
                throw SweepError("\(dir)/runs.csv is missing: not a finished shard")
            }
            var lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            guard lines.first.map({ String($0) + "\n" }) == table.header else {
                throw SweepError("\(dir)/runs.csv has another header than this sweep's")
            }
            lines.removeFirst()
            if lines.last == "" { lines.removeLast() }
            for line in lines {
                guard let index = Int(line.prefix { $0 != "," }), index < plan.runCount else {
                    throw SweepError("\(dir)/runs.csv: bad row '\(line.prefix(40))'")
                }
                guard table.rows[index] == nil else { throw SweepError("run \(index) appears in more than one shard") }
                table.rows[index] = String(line) + "\n"
            }
        }
        let missing = (0..<plan.runCount).filter { table.rows[$0] == nil }
        guard missing.isEmpty else {
            throw SweepError("\(missing.count) of \(plan.runCount) runs are missing (first: run \(missing[0])); merge every shard")
        }
        try writeOutputs(table, shard: nil, to: directory)
        return table
    }
}
