import Testing
@testable import KFCluster
@testable import KFWorkloads

/// Iteration plans and the phased network model against hand-computed iteration times (issue 11).
/// NICs of 10 Gbit/s (1.25 GB/s each way) unless a case says otherwise.
@Suite struct PhasedNetworkTests {
    static func fabric(_ nics: [Double]) -> NetworkFabric {
        let f = NetworkFabric()
        for (i, bits) in nics.enumerated() { f.addNode(Int32(i), name: "n\(i)", nicBitsPerSecond: bits) }
        return f
    }

    func close(_ a: Double, _ b: Double, _ tolerance: Double = 1e-9) -> Bool { abs(a - b) <= tolerance * max(1, abs(b)) }

    /// The iteration time (seconds) of an allreduce plan priced by the continuous model.
    func allreduceTime(nodes: [Int32], compute: Double = 0.05, nics: Int = 4) -> Double {
        let net = Self.fabric(Array(repeating: 10e9, count: nics))
        let plan = IterationPlan.allreduce(compute: nodes.map { _ in compute }, workerNodes: nodes, modelBytes: 100e6,
                                           localBandwidth: 10e9, network: net)
        let its = plan.continuousIterations(net.rates(plan.flows))
        // Alone, the phased model gives the same time.
        let phased = PhasedNetwork.run([plan], offsets: [0], background: [], capacities: net.capacities)[0]!
        #expect(close(1 / phased.rate, its.map(\.total).max()!))
        return its.map(\.total).max()!
    }

    /// Ring allreduce of S = 100 MB after 0.05 s of compute: one node of 4 workers at 10 GB/s:
    /// 2 x 3/4 x 0.01 s = 0.015 s; 2 nodes of one worker: 2 x 1/2 x S / 1.25 GB/s = 0.08 s; 4 nodes: 2 x 3/4
    /// x 0.08 = 0.12 s; 2 nodes of 2 workers (hierarchical): 2 x 1/2 x 0.01 + 0.08 = 0.09 s.
    @Test func ringAllreduceOnOneTwoAndFourNodes() {
        #expect(close(allreduceTime(nodes: [0, 0, 0, 0]), 0.05 + 0.015))
        #expect(close(allreduceTime(nodes: [0, 1]), 0.05 + 0.08))
        #expect(close(allreduceTime(nodes: [0, 1, 2, 3]), 0.05 + 0.12))
        #expect(close(allreduceTime(nodes: [0, 0, 1, 1]), 0.05 + 0.09))
        #expect(close(allreduceTime(nodes: [2]), 0.05))
        // Cross-node bytes per iteration: each of 4 nodes sends 1.5 x S.
        let net = Self.fabric(Array(repeating: 10e9, count: 4))
        #expect(IterationPlan.allreduce(compute: [1, 1, 1, 1], workerNodes: [0, 1, 2, 3], modelBytes: 100e6, localBandwidth: 10e9,
                                        network: net).crossBytes == 4 * 150e6)
    }

    /// The ring goes at its slowest link: one 1 Gbit/s NIC among 10 Gbit/s ones makes every step wait
    /// for it: 2 x 2/3 x S / 0.125 GB/s = 1.0667 s.
    @Test func theRingGoesAtItsSlowestLink() {
        let net = Self.fabric([10e9, 1e9, 10e9])
        let plan = IterationPlan.allreduce(compute: [0, 0, 0], workerNodes: [0, 1, 2], modelBytes: 100e6, localBandwidth: 10e9, network: net)
        #expect(close(plan.continuousIterations(net.rates(plan.flows))[0].communication, 2 * 2.0 / 3 * 100e6 / 0.125e9))
        let phased = PhasedNetwork.run([plan], offsets: [0], background: [], capacities: net.capacities)[0]!
        #expect(close(1 / phased.rate, 2 * 2.0 / 3 * 100e6 / 0.125e9))
    }

    /// One PS job alone: a worker on node 0 computing 0.1 s, its PS on node 2, S = 125 MB: push 0.1 s,
    /// pull 0.1 s: 0.3 s per iteration, in both models; the worker computes a third of the time.
    @Test func aParameterServerJobAloneTakesTheHandValue() {
        let net = Self.fabric(Array(repeating: 10e9, count: 3))
        let plan = IterationPlan.parameterServer(synchronous: true, compute: [0.1], workerNodes: [0], psNodes: [2], modelBytes: 125e6,
                                                 localBandwidth: 10e9, network: net)
        #expect(close(plan.continuousIterations(net.rates(plan.flows))[0].total, 0.3))
        let o = PhasedNetwork.run([plan], offsets: [0], background: [], capacities: net.capacities)[0]!
        #expect(close(1 / o.rate, 0.3) && close(o.computeShare[0], 1.0 / 3))
        // Four workers on four nodes pushing to one PS on node 4: pushes share its ingress (4 x 125 MB at
        // 1.25 GB/s = 0.4 s), pulls its egress: 0.1 + 0.8 = 0.9 s.
        let big = Self.fabric(Array(repeating: 10e9, count: 5))
        let four = IterationPlan.parameterServer(synchronous: true, compute: [0.1, 0.1, 0.1, 0.1], workerNodes: [0, 1, 2, 3], psNodes: [4],
                                                 modelBytes: 125e6, localBandwidth: 10e9, network: big)
        #expect(close(1 / PhasedNetwork.run([four], offsets: [0], background: [], capacities: big.capacities)[0]!.rate, 0.9))
    }

    /// Two such jobs whose parameter servers share node 2 (workers on nodes 0 and 1): the continuous
    /// model keeps both pushes (and both pulls) on the PS NIC all the time: 0.1 + 0.2 + 0.2 = 0.5 s. In
    /// lockstep they really do share: 0.5 s. Interleaved (B two thirds of an iteration behind A) their
    /// transfers never overlap: 0.3 s, as alone. Every other offset lands between the two bounds.
    @Test func twoJobsSharingANICLandBetweenInterleavedAndLockstep() {
        let net = Self.fabric(Array(repeating: 10e9, count: 3))
        let a = IterationPlan.parameterServer(synchronous: true, compute: [0.1], workerNodes: [0], psNodes: [2], modelBytes: 125e6,
                                              localBandwidth: 10e9, network: net)
        let b = IterationPlan.parameterServer(synchronous: true, compute: [0.1], workerNodes: [1], psNodes: [2], modelBytes: 125e6,
                                              localBandwidth: 10e9, network: net)
        let continuous = a.continuousIterations(net.rates(a.flows + b.flows))[0].total
        #expect(close(continuous, 0.5))
        func periods(_ offset: Double) -> (Double, Double) {
            let o = PhasedNetwork.run([a, b], offsets: [0, offset], background: [], capacities: net.capacities)
            return (1 / o[0]!.rate, 1 / o[1]!.rate)
        }
        let lockstep = periods(0)
        #expect(close(lockstep.0, 0.5, 1e-6) && close(lockstep.1, 0.5, 1e-6))
        let interleaved = periods(0.2)
        #expect(close(interleaved.0, 0.3, 1e-6) && close(interleaved.1, 0.3, 1e-6))
        var sum = 0.0
        for k in 0..<30 {
            let (pa, pb) = periods(Double(k) * 0.01)
            #expect(pa >= 0.3 - 1e-6 && pa <= 0.5 + 1e-6 && pb >= 0.3 - 1e-6 && pb <= 0.5 + 1e-6, "offset \(Double(k) * 0.01): \(pa), \(pb)")
            sum += pa + pb
        }
        // Averaged over offsets, strictly better than the continuous worst case.
        #expect(sum / 60 < 0.5 - 0.01)
    }

    /// Groups too large to simulate stage by stage are averaged over phase offsets: alone, the hand value;
    /// the two jobs sharing the PS NIC converge between the interleaved and lockstep bounds (each job's
    /// transfers see the other's mean load: about 0.375 s).
    @Test func theAveragedModelKeepsTheBounds() {
        let net = Self.fabric(Array(repeating: 10e9, count: 3))
        let a = IterationPlan.parameterServer(synchronous: true, compute: [0.1], workerNodes: [0], psNodes: [2], modelBytes: 125e6,
                                              localBandwidth: 10e9, network: net)
        let b = IterationPlan.parameterServer(synchronous: true, compute: [0.1], workerNodes: [1], psNodes: [2], modelBytes: 125e6,
                                              localBandwidth: 10e9, network: net)
        let alone = PhasedNetwork.averaged([a], initialRates: [0], background: [], capacities: net.capacities)[0]!
        #expect(close(1 / alone.rate, 0.3))
        let two = PhasedNetwork.averaged([a, b], initialRates: [0, 0], background: [], capacities: net.capacities, rounds: 30)
        let p = 1 / two[0]!.rate
        #expect(p > 0.3 + 0.01 && p < 0.5 - 0.01 && close(p, 1 / two[1]!.rate))
        // The fixed point: transfers at C - (the other's mean load), load = 125 MB per 1/p s.
        let load = 125e6 / p
        #expect(close(p, 0.1 + 2 * 125e6 / (1.25e9 - load), 1e-6))
    }

    /// Asynchronous workers do not wait for each other: a fast worker (0.1 s) and a slow one (0.3 s) on
    /// one node with a local PS (copies 0.0125 s each way) iterate at 1/0.125 + 1/0.325 per second.
    @Test func asynchronousWorkersIterateIndependently() {
        let net = Self.fabric([10e9])
        let plan = IterationPlan.parameterServer(synchronous: false, compute: [0.1, 0.3], workerNodes: [0, 0], psNodes: [0], modelBytes: 125e6,
                                                 localBandwidth: 10e9, network: net)
        let o = PhasedNetwork.run([plan], offsets: [0], background: [], capacities: net.capacities)[0]!
        #expect(close(o.rate, 1 / 0.125 + 1 / 0.325, 1e-9))
    }

    /// Zones with uplinks: a ring across two zones of 25 Gbit/s nodes goes at the 10 Gbit/s uplink
    /// (2 x 1/2 x S / 1.25 GB/s = 0.08 s); within a zone at the NIC (100 MB / 3.125 GB/s = 0.032 s). A
    /// hypothetical node that opened a zone takes the zone's links away with it.
    @Test func trafficBetweenZonesCrossesTheirUplinks() {
        let net = NetworkFabric()
        net.zoneUplinkBitsPerSecond = 10e9
        for (i, zone) in ["a", "a", "b"].enumerated() { net.addNode(Int32(i), name: "n\(i)", nicBitsPerSecond: 25e9, zone: zone) }
        func ring(_ nodes: [Int32]) -> Double {
            let plan = IterationPlan.allreduce(compute: nodes.map { _ in 0 }, workerNodes: nodes, modelBytes: 100e6, localBandwidth: 10e9, network: net)
            return plan.continuousIterations(net.rates(plan.flows))[0].communication
        }
        #expect(close(ring([0, 2]), 0.08))
        #expect(close(ring([0, 1]), 0.032))
        let links = net.capacities.count
        net.addNode(3, name: "n3", nicBitsPerSecond: 25e9, zone: "c")
        #expect(net.capacities.count == links + 4)
        net.removeLastNode()
        #expect(net.capacities.count == links && close(ring([0, 2]), 0.08))
    }

    /// GPU models from node labels: families, NVLink on SXM boards, PCIe otherwise; per-model times
    /// scale by throughput.
    @Test func gpuModelsFromProductLabels() {
        #expect(GPUModel.named("NVIDIA-A100-SXM4-80GB") == GPUModel(family: "A100", tflops: 312, peerBandwidth: 300e9, nvlink: true))
        #expect(GPUModel.named("NVIDIA-A100-PCIE-40GB") == GPUModel(family: "A100", tflops: 312, peerBandwidth: 32e9, nvlink: false))
        #expect(GPUModel.named("Tesla-V100-SXM2-16GB")?.peerBandwidth == 150e9)
        #expect(GPUModel.named("Tesla-T4") == GPUModel(family: "T4", tflops: 65, peerBandwidth: 16e9, nvlink: false))
        #expect(GPUModel.named("NVIDIA-H100-80GB-HBM3")?.nvlink == true)
        #expect(GPUModel.named("NVIDIA-A10")?.family == "A10")
        #expect(GPUModel.named("Radeon-MI250") == nil)
        let times = [GPUTime(family: "A100", seconds: 0.002)]
        #expect(GPUModel.named("V100")!.secondsPerSample(times)! == 0.002 * 312 / 125)
        #expect(GPUModel.named("A100")!.secondsPerSample(times)! == 0.002)
    }
}
