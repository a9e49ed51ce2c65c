import KFCluster
import KFEngine
import KFScheduler
import KFControlPlane
@testable import KFWorkloads

/// Builds small simulations in code.
enum Harness {
    static let gi: Int64 = 1 << 30

    static func simulation(nodes: [NodeSpec], namespaces: [NamespaceSpec] = [NamespaceSpec(name: "default")],
                           config: SchedulerConfiguration = .reference, options: SimulationOptions = SimulationOptions(),
                           images: [String: Int64] = [:], seed: UInt64 = 1) throws -> Simulation {
        let streams = RandomStreams(seed: seed)
        let cluster = ClusterState(nodes: nodes, namespaces: namespaces, imageSizes: images)
        let scheduler = try Scheduler(configuration: config, cluster: cluster, tieStream: streams.stream("tieBreak"))
        return Simulation(cluster: cluster, scheduler: scheduler, streams: streams, options: options)
    }

    static func template(cpu: Int64? = nil, limit: Int64? = nil, memory: Int64? = nil, namespace: String = "default",
                         image: String = "") -> PodSpec {
        PodSpec(name: "", namespace: namespace,
                containers: [ContainerSpec(image: image, requests: OptionalResources(cpu: cpu, memory: memory),
                                           limits: OptionalResources(cpu: limit))],
                work: .forever)
    }

    /// One pod at time `at` doing `work`.
    static func pod(_ name: String, _ template: PodSpec, work: WorkSpec, at: Double = 0) -> SinglePodJobController {
        SinglePodJobController.pods(name: name, template: template, work: work, arrivals: ArrivalProcess(count: 1, start: at))
    }

    static func finish(_ sim: Simulation, _ name: String) -> Double? {
        guard let p = sim.cluster.pods.first(where: { $0.spec.name == name }), p.finishedAt >= 0 else { return nil }
        return Clock.seconds(p.finishedAt)
    }
}
