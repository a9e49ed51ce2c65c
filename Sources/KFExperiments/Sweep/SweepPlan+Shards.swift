import Foundation
import KFScenario

extension SweepPlan {
    /// The plan a finished shard was run with: its `sweep.json` gives parameters, seeds, overrides and
    /// baseline; `scenarioPath` gives the scenario text.
    public static func fromShard(_ directory: String, scenarioPath: String) throws -> SweepPlan {
        guard let data = FileManager.default.contents(atPath: "\(directory)/sweep.json"),
              let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw SweepError("\(directory)/sweep.json is missing or unreadable: not a finished shard")
        }
        let parameters = (json["parameters"] as? [[String: Any]] ?? []).map {
            SweepDefinition.Parameter(key: $0["key"] as? String ?? "", values: $0["values"] as? [String] ?? [])
        }
        let seeds = (json["seeds"] as? [NSNumber] ?? []).map { UInt64(bitPattern: $0.int64Value) }
        let fixed = json["fixedOverrides"] as? [String] ?? []
        var baseline: (key: String, value: String)?
        if let b = json["baseline"] as? [String: String], let k = b["key"], let v = b["value"] { baseline = (k, v) }
        let links = (json["zip"] as? [[String]]) ?? []
        return try SweepPlan(scenarioPath: scenarioPath, fixedOverrides: fixed, parameters: parameters, seeds: seeds, baseline: baseline,
                             links: links)
    }
}

extension Shard {
    /// The shard index a cluster job array gives: `JOB_COMPLETION_INDEX` (Kubernetes Indexed Job, 0-based)
    /// or `SLURM_ARRAY_TASK_ID` (minus `SLURM_ARRAY_TASK_MIN` when set).
    public static func indexFromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) -> Int? {
        if let v = env["JOB_COMPLETION_INDEX"], let i = Int(v) { return i }
        if let v = env["SLURM_ARRAY_TASK_ID"], let i = Int(v) { return i - (env["SLURM_ARRAY_TASK_MIN"].flatMap { Int($0) } ?? 0) }
        return nil
    }
}
