import KFCluster
import KFEngine
@testable import KFScheduler

/// A small cluster, a scheduler over it, and helpers to place existing pods and schedule a new one.
final class Fixture {
    let cluster: ClusterState
    let scheduler: Scheduler
    static let gi: Int64 = 1 << 30
    static let mi: Int64 = 1 << 20

    init(nodes: [NodeSpec], config: SchedulerConfiguration = SchedulerConfiguration(tieBreak: .first),
         images: [String: Int64] = [:], existing: [(PodSpec, Int32)] = [], seed: UInt64 = 1) throws {
        cluster = ClusterState(nodes: nodes, namespaces: [NamespaceSpec(name: "default")], imageSizes: images)
        scheduler = try Scheduler(configuration: config, cluster: cluster, tieStream: RandomStream(seed: seed, name: "tieBreak"))
        scheduler.recordScores = true
        for (spec, node) in existing {
            guard case .success(let id) = cluster.create(spec, owner: OwnerRef(controller: -1, job: -1), now: 0) else {
                fatalError("existing pod refused")
            }
            cluster.bind(id, to: node, now: 0)
        }
    }

    /// Creates `spec` and runs one scheduling cycle (binding it when a node is chosen).
    func schedule(_ spec: PodSpec) -> ScheduleOutcome {
        guard case .success(let id) = cluster.create(spec, owner: OwnerRef(controller: -1, job: -1), now: 0) else {
            fatalError("pod refused")
        }
        let outcome = scheduler.schedule(id)
        if case .bound(let node) = outcome { cluster.bind(id, to: node, now: 0) }
        return outcome
    }

    /// The recorded score of `plugin` on node `name` in the last scored cycle.
    func score(_ plugin: String, _ name: String) -> Int64? {
        guard let n = cluster.nodes.firstIndex(where: { $0.spec.name == name }),
              let row = scheduler.lastScores.first(where: { $0.node == Int32(n) }) else { return nil }
        return row.byPlugin.first { $0.name == plugin }?.score
    }

    /// The recorded weighted total on node `name`.
    func total(_ name: String) -> Int64? {
        guard let n = cluster.nodes.firstIndex(where: { $0.spec.name == name }) else { return nil }
        return scheduler.lastScores.first { $0.node == Int32(n) }?.total
    }

    func nodeName(_ outcome: ScheduleOutcome) -> String? {
        if case .bound(let n) = outcome { return cluster.nodes[Int(n)].spec.name }
        return nil
    }
}

func node(_ name: String, cpu: Int64, memoryGi: Int64, gpu: Int64 = 0, labels: Labels = [:], taints: [Taint] = [],
          zone: String? = nil, images: Set<String> = [], unschedulable: Bool = false) -> NodeSpec {
    NodeSpec(name: name, allocatable: Resources(cpu: cpu, memory: memoryGi * Fixture.gi, gpu: gpu), labels: labels, taints: taints,
             unschedulable: unschedulable, zone: zone, images: images)
}

func pod(_ name: String, cpu: Int64? = nil, memory: Int64? = nil, gpu: Int64? = nil, labels: Labels = [:],
         image: String = "") -> PodSpec {
    PodSpec(name: name, labels: labels,
            containers: [ContainerSpec(image: image, requests: OptionalResources(cpu: cpu, memory: memory, gpu: gpu),
                                       limits: OptionalResources(gpu: gpu))],
            work: .forever)
}

/// A profile that scores with the named plugins only (weights given), default filters.
func scoring(_ plugins: [(String, Int64)], pluginConfig: [(name: String, args: PluginArgs)] = []) -> SchedulerConfiguration {
    SchedulerConfiguration(tieBreak: .first, profiles: [ProfileConfiguration(
        plugins: [.score: PluginSet(enabled: plugins.map { PluginRef(name: $0.0, weight: $0.1) }, disabled: [PluginRef(name: "*")])],
        pluginConfig: pluginConfig)])
}
