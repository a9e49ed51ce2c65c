import KFConfig
import Foundation
import KFScenario

/// A fully resolved sweep: the scenario, the grid of points and the seeds; run `i` is point
/// `i / seeds.count` under seed `seeds[i % seeds.count]`.
public struct SweepPlan: Sendable {
    /// The scenario file.
    public let scenarioPath: String
    /// Its text (read once; every run parses it with its overrides).
    public let scenarioText: String
    /// The scenario's name.
    public let scenarioName: String
    /// Overrides applied to every run (`--set`).
    public let fixedOverrides: [String]
    /// Swept parameters.
    public let parameters: [SweepDefinition.Parameter]
    /// Replication seeds.
    public let seeds: [UInt64]
    /// Paired-comparison baseline, if any.
    public let baseline: (key: String, value: String)?
    /// Groups of swept keys that vary together (`--zip a,b`): their i-th values go together.
    public let links: [[String]]
    /// Parameter values of each point, in grid order.
    public let points: [[String]]
    /// Identifies the sweep (scenario text, overrides, grid, seeds): shards and journals must match it.
    public let identity: String

    /// Number of runs.
    public var runCount: Int { points.count * seeds.count }

    /// Resolves a sweep of `scenarioPath` from its `sweep:` section and the command line (command-line
    /// parameters replace file parameters with the same key; command-line seeds replace file seeds).
    public init(scenarioPath: String, fixedOverrides: [String], parameters cli: [SweepDefinition.Parameter], seeds: [UInt64]?,
                baseline: (key: String, value: String)?, links: [[String]] = []) throws {
        let text: String
        do { text = try InputFile.read(scenarioPath, maxBytes: InputFile.maxYAMLBytes) } catch { throw ConfigError(error) }
        let base = try ScenarioLoader.parse(text: text, file: scenarioPath, overrides: fixedOverrides)
        var parameters = base.sweep?.parameters ?? []
        for p in cli {
            if let i = parameters.firstIndex(where: { $0.key == p.key }) { parameters[i] = p } else { parameters.append(p) }
        }
        let seeds = seeds ?? base.sweep?.seeds ?? [base.seed]
        let baseline = baseline ?? base.sweep?.baseline
        if let b = baseline {
            guard let p = parameters.first(where: { $0.key == b.key }) else {
                throw SweepError("baseline key '\(b.key)' is not a swept parameter; swept: \(parameters.map(\.key).joined(separator: ", "))")
            }
            guard p.values.contains(b.value) else {
                throw SweepError("baseline value '\(b.value)' is not among \(b.key)'s values: \(p.values.joined(separator: ", "))")
            }
        }
        let leaders = try SweepPlan.leaders(parameters, links)
        // The grid over the parameters that lead their group; the others take the value at their leader's index.
        var indices: [[Int]] = [[]]
        for (i, p) in parameters.enumerated() where leaders[i] == i {
            indices = indices.flatMap { prefix in p.values.indices.map { prefix + [$0] } }
        }
        let leaderOrder = parameters.indices.filter { leaders[$0] == $0 }
        let points: [[String]] = indices.map { idx in
            parameters.indices.map { i in parameters[i].values[idx[leaderOrder.firstIndex(of: leaders[i])!]] }
        }
        self.links = links
        self.scenarioPath = scenarioPath
        self.scenarioText = text
        self.scenarioName = base.name
        self.fixedOverrides = fixedOverrides
        self.parameters = parameters
        self.seeds = seeds
        self.baseline = baseline
        self.points = points
        var id = "kfsim-sweep/1 kfsim \(kfsimVersion)\n\(base.hash)\n"
        for p in parameters { id += "param \(p.key)=\(p.values.joined(separator: ","))\n" }
        id += "seeds \(seeds.map(String.init).joined(separator: ","))\n"
        for group in links { id += "zip \(group.joined(separator: ","))\n" }
        self.identity = fnv1aHex(id)
    }

    /// For each parameter, the index of the parameter leading its linked group (itself when unlinked).
    static func leaders(_ parameters: [SweepDefinition.Parameter], _ links: [[String]]) throws -> [Int] {
        var leaders = Array(parameters.indices)
        var grouped = Set<String>()
        for group in links {
            let members = try group.map { key throws -> Int in
                guard let i = parameters.firstIndex(where: { $0.key == key }) else {
                    throw SweepError("--zip key '\(key)' is not a swept parameter; swept: \(parameters.map(\.key).joined(separator: ", "))")
                }
                guard grouped.insert(key).inserted else { throw SweepError("--zip key '\(key)' is linked twice") }
                return i
            }.sorted()
            guard members.count >= 2 else { throw SweepError("--zip needs at least two keys, got \(group.joined(separator: ","))") }
            let count = parameters[members[0]].values.count
            for i in members where parameters[i].values.count != count {
                throw SweepError("--zip keys vary together, so they need as many values: \(parameters[members[0]].key) has \(count), \(parameters[i].key) has \(parameters[i].values.count)")
            }
            for i in members { leaders[i] = members[0] }
        }
        return leaders
    }

    /// The overrides of point `p`.
    public func overrides(point p: Int) -> [String] {
        fixedOverrides + zip(parameters, points[p]).map { "\($0.key)=\($1)" }
    }

    /// Parses every point's scenario once, so that a bad value is refused before any run.
    public func validate() throws {
        for p in points.indices { _ = try scenario(point: p) }
    }

    /// The scenario of point `p`.
    public func scenario(point p: Int) throws -> Scenario {
        try ScenarioLoader.parse(text: scenarioText, file: scenarioPath, overrides: overrides(point: p))
    }
}

/// A problem with a sweep's definition, inputs or outputs.
public struct SweepError: Error, CustomStringConvertible, Sendable {
    /// The message.
    public var message: String
    /// An error.
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
