import KFCluster
import Testing
@testable import KFScheduler

/// GPU sharing (issue 12): per-device accounting by Open-Gpu-Share and the score policies of Weng et al.
/// (ATC 2023), against hand-computed cases.
@Suite struct GPUSharingTests {
    static func config(score: [(String, Int64)]) -> SchedulerConfiguration {
        SchedulerConfiguration(percentageOfNodesToScore: 100, tieBreak: .first, profiles: [ProfileConfiguration(plugins: [
            .filter: PluginSet(enabled: [PluginRef(name: "Open-Gpu-Share")]),
            .reserve: PluginSet(enabled: [PluginRef(name: "Open-Gpu-Share")]),
            .score: PluginSet(enabled: score.map { PluginRef(name: $0.0, weight: $0.1) }, disabled: [PluginRef(name: "*")]),
        ])])
    }

    static func share(_ name: String, milli: Int32, cpu: Int64? = nil) -> PodSpec {
        var spec = pod(name, cpu: cpu)
        spec.gpuMilli = milli
        return spec
    }

    func devices(_ f: Fixture, _ name: String) -> [Int32]? {
        guard let i = f.cluster.pods.firstIndex(where: { $0.spec.name == name }) else { return nil }
        return f.cluster.gpuDevices.held[PodID(i)]?.devices
    }

    /// One node of two GPUs. 600m: both devices free, best fit ties, device 0 ([400, 1000]). 300m: device
    /// 0 is the tighter fit ([100, 1000]). 500m: only device 1 fits ([100, 500]). A whole GPU: no device
    /// is free, though NodeResourcesFit counts two GPUs unrequested. 100m: device 0 ([0, 500]).
    @Test func sharesPackOnTheBestFittingDevice() throws {
        let f = try Fixture(nodes: [node("g", cpu: 32000, memoryGi: 64, gpu: 2)], config: Self.config(score: [("NodeResourcesFit", 1)]))
        #expect(f.nodeName(f.schedule(Self.share("a", milli: 600))) == "g")
        #expect(devices(f, "a") == [0])
        _ = f.schedule(Self.share("b", milli: 300))
        #expect(devices(f, "b") == [0])
        _ = f.schedule(Self.share("c", milli: 500))
        #expect(devices(f, "c") == [1])
        #expect(f.cluster.gpuDevices.left[0] == [100, 500])
        guard case .unschedulable(let reason, let rejectors) = f.schedule(pod("whole", gpu: 1)) else {
            Issue.record("a whole GPU was placed on shared devices")
            return
        }
        #expect(rejectors == ["Open-Gpu-Share"] && reason.contains("Insufficient GPU devices"), "\(reason)")
        _ = f.schedule(Self.share("e", milli: 100))
        #expect(devices(f, "e") == [0])
        #expect(f.cluster.gpuDevices.left[0] == [0, 500])
        // A pod ending gives its share back.
        let b = PodID(f.cluster.pods.firstIndex { $0.spec.name == "b" }!)
        f.cluster.finish(b, now: 0, termination: .succeeded)
        #expect(f.cluster.gpuDevices.left[0] == [300, 500])
    }

    /// Whole GPUs take the lowest-index free devices: on [1000, 700, 1000, 1000] two GPUs are 0 and 2.
    @Test func wholeGPUsTakeTheLowestFreeDevices() throws {
        let f = try Fixture(nodes: [node("g", cpu: 32000, memoryGi: 64, gpu: 4)], config: Self.config(score: [("NodeResourcesFit", 1)]),
                            existing: [])
        _ = f.schedule(pod("w1", gpu: 1))
        _ = f.schedule(Self.share("s", milli: 300))
        #expect(devices(f, "w1") == [0] && devices(f, "s") == [1])
        _ = f.schedule(pod("w2", gpu: 2))
        #expect(devices(f, "w2") == [2, 3])
    }

    /// The worked example: typical pods A = <4 cores, 500m> and B = <8 cores, 1 GPU>, half each. N1 idle
    /// [1000, 1000]: placing 500m anywhere strands 500 for B, F 0 -> 250, sigmoid(-0.25) = 0.4378 -> 43.
    /// N2 [500, 1000] (F = 250): on device 0 F -> 0, sigmoid(0.25) = 0.5622 -> 56; on device 1 B no longer
    /// fits, F -> 500 -> 43. FGD takes N2, device 0.
    @Test func fgdPicksTheNodeAndDeviceThatFragmentLeast() throws {
        let f = try Fixture(nodes: [node("n1", cpu: 32000, memoryGi: 64, gpu: 2), node("n2", cpu: 32000, memoryGi: 64, gpu: 2)],
                            config: Self.config(score: [("FGDScore", 1000)]), existing: [(Self.share("old", milli: 500), 1)])
        f.cluster.gpuDevices.typicalPods = [TypicalGPUPod(cpu: 4000, milli: 500, count: 1, share: 0.5),
                                            TypicalGPUPod(cpu: 8000, milli: 1000, count: 1, share: 0.5)]
        #expect(f.cluster.gpuDevices.left[1] == [500, 1000])
        #expect(f.nodeName(f.schedule(Self.share("p", milli: 500, cpu: 4000))) == "n2")
        #expect(f.score("FGDScore", "n1") == 43 && f.score("FGDScore", "n2") == 56)
        #expect(devices(f, "p") == [0])
        #expect(f.cluster.gpuDevices.left[1] == [0, 1000])
    }

    /// Node P: 64 cores, devices [500, 1000] (a 500m pod on device 0); node Q: 32 cores, one idle GPU.
    /// Pod: 4 cores, 500m.
    /// - BestFit raw: P 1 - (.5*60000/128000 + .5*1000/8000) = .703 -> 70; Q 1 - (.5*28000/128000 +
    ///   .5*500/8000) = .859 -> 85; normalised P 0, Q 100.
    /// - DotProduct: P dot = .5*.03125 + .1875*.0625 = .02734 -> 100*(1 - .01367) -> 98; Q dot =
    ///   .25*.03125 + .125*.0625 = .015625 -> 99.
    /// - GpuPacking: P uses the shared device (500 left): 100 - (500*100/1000)/10 = 95; Q is idle: max(33 - 1, 1) = 32.
    /// - GpuClustering: P holds only shares: 25*(8000-1500)/8000 = 20, + 75 = 95; Q has no GPU pod:
    ///   25*(8000-1000)/8000 = 21, + 25 = 46.
    @Test func baselinePoliciesScoreAsTheirFormulas() throws {
        let nodes = [node("p", cpu: 64000, memoryGi: 256, gpu: 2), node("q", cpu: 32000, memoryGi: 256, gpu: 1)]
        let existing = [(Self.share("old", milli: 500), Int32(0))]
        let cases: [(String, Int64, Int64, String)] = [("BestFitScore", 0, 100, "q"), ("DotProductScore", 98, 99, "q"),
                                                       ("GpuPackingScore", 95, 32, "p"), ("GpuClusteringScore", 95, 46, "p")]
        for (plugin, p, q, winner) in cases {
            let f = try Fixture(nodes: nodes, config: Self.config(score: [(plugin, 1000)]), existing: existing)
            let chosen = f.nodeName(f.schedule(Self.share("new", milli: 500, cpu: 4000)))
            #expect(f.score(plugin, "p") == p && f.score(plugin, "q") == q, "\(plugin): \(String(describing: f.score(plugin, "p"))), \(String(describing: f.score(plugin, "q")))")
            #expect(chosen == winner, "\(plugin)")
        }
    }

    /// Typical pods C (CPU only, 2 cores, .2), S (1 core, 300m, .5), W (4 cores, 1 GPU, .3); node with
    /// devices [200, 1000, 700] (idle 1900). 3 cores left: C counts all idle (.2*1900 = 380), S fits and
    /// strands the 200 (.5*200 = 100), W lacks CPU (.3*1900 = 570): 1050. 8 cores left: W fits and strands
    /// 200 + 700 (.3*900 = 270): 750; on a node of another model W cannot run: 380 + 100 + 570 = 1050.
    @Test func fragmentationOnHandCases() {
        let typical = [TypicalGPUPod(cpu: 2000, milli: 0, count: 0, share: 0.2), TypicalGPUPod(cpu: 1000, milli: 300, count: 1, share: 0.5),
                       TypicalGPUPod(cpu: 4000, milli: 1000, count: 1, models: ["V100"], share: 0.3)]
        let d: [Int32] = [200, 1000, 700]
        #expect(abs(GPUFragmentation.nodeFragment(cpuLeft: 3000, devices: d, model: "V100", typical: typical) - 1050) < 1e-9)
        #expect(abs(GPUFragmentation.nodeFragment(cpuLeft: 8000, devices: d, model: "V100", typical: typical) - 750) < 1e-9)
        #expect(abs(GPUFragmentation.nodeFragment(cpuLeft: 8000, devices: d, model: "T4", typical: typical) - 1050) < 1e-9)
        #expect(GPUFragmentation.nodeFragment(cpuLeft: 8000, devices: [0, 0], model: "V100", typical: typical) == 0)
    }

    /// Ten pods: 5 X, 3 Y, 1 Z (8 cores), 1 W (4 cores). 95% of 10 = 9: X, Y, then Z (the larger CPU of the
    /// tied pair) reaches 9; shares 5/9, 3/9, 1/9.
    @Test func typicalPodsCoverNinetyFivePercent() {
        let x = TypicalGPUPod(cpu: 1000, milli: 500, count: 1), y = TypicalGPUPod(cpu: 2000, milli: 1000, count: 1)
        let z = TypicalGPUPod(cpu: 8000, milli: 0, count: 0), w = TypicalGPUPod(cpu: 4000, milli: 0, count: 0)
        let t = GPUFragmentation.typicalPods(Array(repeating: x, count: 5) + Array(repeating: y, count: 3) + [w, z])
        let cpus: [Int64] = t.map(\.cpu)
        let shares: [Double] = t.map(\.share)
        let expected: [Double] = [5.0 / 9, 3.0 / 9, 1.0 / 9]
        #expect(cpus == [1000, 2000, 8000])
        #expect(shares == expected)
    }
}
