import KFCluster
import KFEngine
import KFScheduler
import Testing
import KFControlPlane
@testable import KFWorkloads

@Suite struct QuotaRunTests {
    static let quota = ResourceQuota(requestsCPU: 3000, pods: 4)

    func fanOut(containers: Int, seed: UInt64 = 1, latencies: Latencies = .zero) throws -> Simulation {
        var options = SimulationOptions()
        options.latencies = latencies
        let sim = try Harness.simulation(nodes: (0..<2).map { NodeSpec(name: "n\($0)", allocatable: Resources(cpu: 4000, memory: 16 * Harness.gi)) },
                                         namespaces: [NamespaceSpec(name: "default"), NamespaceSpec(name: "team", quota: QuotaRunTests.quota)],
                                         config: SchedulerConfiguration(), options: options, seed: seed)
        sim.add(PipelineController.parallelFor(name: "fan", template: Harness.template(cpu: 1000, limit: 1000, namespace: "team"),
                                               containers: containers, parallelism: 0, totalWork: .constant(120), perContainerWork: 2,
                                      threads: nil, joinWork: 1, stepLatency: .uniform(low: 0, high: 5),
                                      arrivals: ArrivalProcess(count: 3, interArrival: .exponential(mean: 30))))
        return sim
    }

    /// Sweeps admission and termination times: the namespace's live requests never exceed the quota.
    func maxLiveRequests(_ sim: Simulation, namespace: String) -> (cpu: Int64, pods: Int64) {
        var deltas: [(SimTime, Int, Int64)] = [] // (time, order: releases first, cpu delta)
        for p in sim.cluster.pods where p.spec.namespace == namespace {
            deltas.append((p.createdAt, 1, p.resources.requests.cpu))
            if p.finishedAt >= 0 { deltas.append((p.finishedAt, 0, -p.resources.requests.cpu)) }
        }
        deltas.sort { ($0.0, $0.1) < ($1.0, $1.1) }
        var cpu: Int64 = 0, pods: Int64 = 0, maxCPU: Int64 = 0, maxPods: Int64 = 0
        for (_, _, d) in deltas {
            cpu += d
            pods += d > 0 ? 1 : -1
            maxCPU = max(maxCPU, cpu)
            maxPods = max(maxPods, pods)
        }
        return (maxCPU, maxPods)
    }

    @Test func quotaIsNeverExceededAndRefusedCreationsRunLater() throws {
        let sim = try fanOut(containers: 7)
        sim.run()
        #expect(sim.stopReason == .completed)
        let peak = maxLiveRequests(sim, namespace: "team")
        #expect(peak.cpu <= 3000)
        #expect(peak.pods <= 4)
        // 3 runs x (7 + join) pods all ran, though at most 3 could exist at once.
        #expect(sim.cluster.pods.count == 24)
        #expect(sim.cluster.pods.allSatisfy { $0.phase == .succeeded })
        #expect(sim.jobs.allSatisfy { $0.succeeded })
    }

    @Test func everyPodEndsTerminalOrIsReportedWithAReason() throws {
        // A pod bigger than every node, a quota that can never admit a pod, and normal pods.
        let sim = try Harness.simulation(nodes: [NodeSpec(name: "n", allocatable: Resources(cpu: 2000, memory: 4 * Harness.gi))],
                                         namespaces: [NamespaceSpec(name: "default"), NamespaceSpec(name: "tight", quota: ResourceQuota(requestsCPU: 500))],
                                         config: SchedulerConfiguration())
        sim.add(Harness.pod("ok", Harness.template(cpu: 500), work: .duration(.constant(10))))
        sim.add(Harness.pod("huge", Harness.template(cpu: 64000), work: .duration(.constant(10))))
        sim.add(Harness.pod("refused", Harness.template(cpu: 1000, namespace: "tight"), work: .duration(.constant(10))))
        sim.run()
        #expect(sim.stopReason == .stalled)
        let huge = sim.cluster.pods.first { $0.spec.name == "huge-0" }!
        #expect(huge.phase == .pending)
        #expect(huge.reason == "0/1 nodes are available: 1 Insufficient cpu. Rejected by filter: NodeResourcesFit.")
        let uncreated = sim.workloads.flatMap { $0.uncreatedPods() }
        #expect(uncreated == [UncreatedPod(name: "refused-0", namespace: "tight", owner: "refused-0",
                                           reason: "exceeded quota: tight-quota, requested: requests.cpu=1000, used: requests.cpu=0, limited: requests.cpu=500",
                                           attempts: 1)])
        for p in sim.cluster.pods { #expect(p.phase.isTerminal || !p.reason.isEmpty) }
        #expect(sim.cluster.pods.first { $0.spec.name == "ok-0" }?.phase == .succeeded)
    }

    /// Bare pods under a quota that refuses most arrivals for a while: creating a lone arrival at once
    /// gives the run that queueing and flushing it gives (creations, refusal counts, uncreated reports).
    @Test func lonePodsCreatedAtOnceAsQueued() throws {
        func run(_ atOnce: Bool) throws -> (pods: [String], uncreated: [UncreatedPod], refusals: [String]) {
            var options = SimulationOptions()
            options.recordEvents = true
            let sim = try Harness.simulation(nodes: [NodeSpec(name: "n", allocatable: Resources(cpu: 16000, memory: 64 * Harness.gi))],
                                             namespaces: [NamespaceSpec(name: "default"),
                                                          NamespaceSpec(name: "team", quota: ResourceQuota(requestsCPU: 2000, pods: 3))],
                                             config: SchedulerConfiguration(), options: options, seed: 3)
            for (name, cpu) in [("small", Int64(500)), ("big", Int64(1000)), ("never", Int64(4000))] {
                let c = SinglePodJobController.pods(name: name, template: Harness.template(cpu: cpu, namespace: "team"),
                                                    work: .duration(.exponential(mean: 20)),
                                                    arrivals: ArrivalProcess(count: 25, interArrival: .exponential(mean: 4)))
                c.createsAtOnce = atOnce
                sim.add(c)
            }
            sim.run()
            let pods = sim.cluster.pods.map { "\($0.spec.name) \($0.createdAt) \($0.finishedAt) \($0.phase)" }
            let refusals = sim.recorder.events.filter { $0.kind == "refused" }.map { "\($0.time) \($0.pod) \($0.reason)" }
            return (pods, sim.workloads.flatMap { $0.uncreatedPods() }, refusals)
        }
        let fast = try run(true), queued = try run(false)
        #expect(fast.pods == queued.pods)
        #expect(fast.uncreated == queued.uncreated)
        // Every refused attempt at the same time, for the same pod and reason (retries included).
        #expect(fast.refusals == queued.refusals)
        #expect(fast.refusals.count > 60, "\(fast.refusals.count)")
        // The quota refused creations for a while (pods wait), and the 4-core pods for good.
        #expect(fast.pods.count == 50)
        #expect(fast.uncreated.count == 25 && fast.uncreated.allSatisfy { $0.name.hasPrefix("never") })
    }

    @Test func sameSeedSameRunOtherSeedOtherRun() throws {
        func trace(_ seed: UInt64) throws -> [SimTime] {
            let latencies = Latencies(scheduling: .uniform(low: 0, high: 1), containerStart: .exponential(mean: 1))
            let sim = try fanOut(containers: 5, seed: seed, latencies: latencies)
            sim.run()
            return sim.cluster.pods.flatMap { [$0.createdAt, $0.scheduledAt, $0.startedAt, $0.finishedAt, SimTime($0.node)] }
        }
        #expect(try trace(3) == trace(3))
        #expect(try trace(3) != trace(4))
    }

    @Test func jobControllerRetriesOnItsBackoff() throws {
        let sim = try Harness.simulation(nodes: [NodeSpec(name: "n", allocatable: Resources(cpu: 8000, memory: 16 * Harness.gi))],
                                         namespaces: [NamespaceSpec(name: "default", quota: ResourceQuota(pods: 1))],
                                         config: SchedulerConfiguration())
        sim.add(BatchJobController(name: "job", template: Harness.template(cpu: 100), work: .duration(.constant(10)),
                                   completions: 2, parallelism: 2, arrivals: ArrivalProcess()))
        sim.run()
        // Only one pod may exist: the second is refused at 0, retried when the first ends at 10 s.
        let starts = sim.cluster.pods.map { Clock.seconds($0.startedAt) }
        #expect(starts == [0, 10])
        #expect(Clock.seconds(sim.jobs[0].finishedAt) == 20)
    }
}
