import Foundation
import KFCluster
import KFConfig
import KFEngine
import KFScheduler
import KFControlPlane
import KFWorkloads
import Yams

/// Reads and validates scenario files. Every problem is reported before any simulation starts, as a
/// `ConfigError` naming file, line, column and key path.
public enum ScenarioLoader {
    /// The `apiVersion` scenario files carry.
    public static let apiVersion = "kfsim.io/v1alpha1"

    /// Loads `path`, applying `--set` overrides.
    public static func load(path: String, overrides: [String] = [], registries: Registries = .builtIn) throws(ConfigError) -> Scenario {
        let text: String
        do { text = try InputFile.read(path, maxBytes: InputFile.maxYAMLBytes) } catch { throw ConfigError(error) }
        return try parse(text: text, file: path, overrides: overrides, registries: registries)
    }

    /// Parses scenario `text` (named `file` in errors; relative paths inside resolve against its folder).
    public static func parse(text: String, file: String, overrides: [String] = [], registries: Registries = .builtIn) throws(ConfigError) -> Scenario {
        var root: Yams.Node
        do {
            guard let node = try Yams.compose(yaml: text, ConfigNode.yamlResolver) else {
                throw ConfigError(file: file, line: 1, column: 1, path: "", message: "the file is empty; expected a Scenario document")
            }
            root = node
        } catch let e as ConfigError {
            throw e
        } catch let e as YamlError {
            throw ConfigError.yaml(e, file: file)
        } catch {
            throw ConfigError(file: file, line: 1, column: 1, path: "", message: "invalid YAML: \(error)")
        }
        var assignments: [Overrides.Assignment] = []
        for o in overrides {
            let a = try Overrides.parse(o)
            try Overrides.apply(a, to: &root)
            assignments.append(a)
        }
        let hashInput = text + assignments.map { "\n--set \($0.path)=\($0.value)" }.joined()
        let context = LoadContext(file: file, directory: (file as NSString).deletingLastPathComponent)
        return try context.scenario(ConfigNode(node: root, path: "", file: file), hash: fnv1aHex(hashInput), registries: registries)
    }
}

extension LoadContext {
    /// `spec.outputs`: `{sampleInterval, maxSamples, events, scores}`.
    func outputOptions(_ o: ConfigNode, into options: inout SimulationOptions) throws(ConfigError) {
        let m = try o.mapping(["sampleInterval", "maxSamples", "events", "scores", "nodes"])
        options.recordEvents = try m["events"]?.bool() ?? false
        options.recordNodes = try m["nodes"]?.bool() ?? false
        if let sc = m["scores"] {
            options.recordScores = try sc.bool()
            guard !options.recordScores || options.recordEvents else { throw sc.error("scores are recorded in events.csv: set events: true too") }
        }
        if let s = m["sampleInterval"] {
            options.sampleInterval = Clock.micros(seconds: try s.seconds(minimum: 0))
            guard options.sampleInterval == 0 || options.sampleInterval >= 1000 else {
                throw s.error("must be 0 (no samples) or at least 1ms, got \(try s.string())")
            }
            options.sampleCap = SimulationOptions.hardSampleCap
        }
        if let c = m["maxSamples"] { options.sampleCap = Int(try c.int(2...10_000_000)) }
        options.samplingChosen = m.has("sampleInterval") || m.has("maxSamples")
    }

    func scenario(_ root: ConfigNode, hash: String, registries: Registries) throws(ConfigError) -> Scenario {
        let top = try root.mapping(["apiVersion", "kind", "metadata", "spec", "sweep"])
        let version = try top.required("apiVersion")
        let versionText = try version.string()
        guard versionText == ScenarioLoader.apiVersion else {
            throw version.error("unsupported apiVersion '\(versionText)'; accepted: \(ScenarioLoader.apiVersion)")
        }
        let kind = try top.required("kind")
        _ = try kind.oneOf(["Scenario"])
        var name = "scenario"
        if let meta = top["metadata"] {
            let m = try meta.mapping(["name", "description", "labels", "annotations"])
            if let n = m["name"] {
                name = try n.name()
                // The name becomes a folder under results/: a path must not climb out of it.
                guard name.count <= 253, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-._".contains($0)) }),
                      name != ".", name != ".." else {
                    throw n.error("'\(name)' is not a valid name; use letters, digits, '-', '.' and '_' (at most 253), as Kubernetes names")
                }
            }
        }
        let spec = try top.required("spec").mapping(["seed", "horizon", "stallTimeout", "maxEvents", "reference", "latencies", "cluster",
                                                     "namespaces", "scheduler", "workloads", "outputs", "clusterAutoscaler"])
        var seed: UInt64 = 1
        if let s = spec["seed"] { seed = UInt64(try s.int(0...Int64.max)) }
        let reference = try spec["reference"]?.bool() ?? false
        var options = SimulationOptions()
        if let h = spec["horizon"] { options.horizon = Clock.micros(seconds: try h.seconds(minimum: 0)) }
        if let s = spec["stallTimeout"] { options.stallWindow = Clock.micros(seconds: try s.seconds(minimum: 1)) }
        if let e = spec["maxEvents"] { options.maxEvents = Int(try e.int(1...1_000_000_000_000)) }
        if let o = spec["outputs"] { try outputOptions(o, into: &options) }
        if let l = spec["latencies"] {
            guard !reference else { throw l.error("reference mode sets every latency to zero; remove 'latencies' or 'reference'") }
            let m = try l.mapping(["scheduling", "containerStart"])
            if let s = m["scheduling"] { options.latencies.scheduling = try distribution(s) }
            if let c = m["containerStart"] { options.latencies.containerStart = try distribution(c) }
        }
        let (nodes, images, groups) = try cluster(try spec.required("cluster"))
        var autoscaler = try spec["clusterAutoscaler"].flatMap { (n: ConfigNode) throws(ConfigError) in try clusterAutoscaler(n, groups: groups.groups) }
        autoscaler?.provisioning = groups.provisioning
        autoscaler?.costPerHour = groups.cost
        autoscaler?.provisioningFailure = groups.failure
        let namespaces = try self.namespaces(spec["namespaces"])
        var registries = registries
        let (scheduler, schedulerPlugins, schedulerWarnings) = try schedulerConfiguration(spec["scheduler"], reference: reference,
                                                                                         plugins: registries.schedulerPlugins)
        registries.schedulerPlugins = schedulerPlugins
        let workloadsNode = try spec.required("workloads")
        let workloads = try self.workloads(workloadsNode, namespaces: namespaces, kinds: registries.workloadKinds)
        // Workloads that rely on scheduler plugins (gang scheduling on Coscheduling) need them enabled.
        if let missing = workloads.requirements.first(where: { !$0.isMet(by: scheduler, registry: registries.schedulerPlugins) }) { throw missing.error }
        var warnings: [String] = schedulerWarnings
        if workloads.specs.isEmpty { warnings.append("\(file): spec.workloads is empty: nothing will run") }
        warnings += oversizeWarnings(workloads.templates, nodes: nodes + groups.groups.map(\.template), namespaces: namespaces)
        let sweep = try top["sweep"].map { (s: ConfigNode) throws(ConfigError) in try sweepDefinition(s) }
        var scenario = Scenario(file: file, name: name, seed: seed, options: options, nodes: nodes, imageSizes: images,
                                namespaces: namespaces, scheduler: scheduler, workloads: workloads.specs, hash: hash, warnings: warnings,
                                sweep: sweep, registries: registries)
        scenario.nodeGroups = groups.groups
        scenario.clusterAutoscaler = autoscaler
        scenario.zoneBandwidth = try field(try spec.required("cluster"), "zoneBandwidth")?.quantityDouble()
        return scenario
    }

    /// Templates whose requests (after their namespace's LimitRange) exceed every node: reported, not
    /// refused (the run shows their pods pending, with the reason).
    func oversizeWarnings(_ templates: [(String, PodSpec)], nodes: [NodeSpec], namespaces: [NamespaceSpec]) -> [String] {
        var out: [String] = []
        for (path, t) in templates {
            let limitRange = namespaces.first { $0.name == t.namespace }?.limitRange
            let req = Admission.resources(of: t, limitRange: limitRange).requests
            if !nodes.contains(where: { req.fits(in: $0.allocatable) }) {
                out.append("\(file): \(path): requests cpu=\(req.cpu)m memory=\(req.memory) gpu=\(req.gpu) exceed every node's allocatable: its pods will stay Pending")
            }
        }
        return out
    }
}
