import Foundation
import KFScenario
import Testing
@testable import KFExperiments

/// The fill experiment (`kfsim fill`) on a hand-computed case.
@Suite struct GPUFillTests {
    /// One node of two GPUs (32 cores); in trace order: a 600m (4 cores), b 500m (3 cores), c one whole
    /// GPU (8 cores), d 300m (2 cores); 2,400 milli-GPU = 120% of the 2,000, so `--demand 1.2` adds no
    /// clone. a takes device 0 ([400, 1000]), b device 1 ([400, 500]), c finds no free device and is
    /// dropped, d the best fit, device 0 ([100, 500]). Arrived 30, 55, 105, 120%; allocated 30, 55, 55,
    /// 70%. Typical pods (95% of 4 pods = 3 shapes, by CPU): c, a, b, a third each; at the end (23
    /// cores free, [100, 500], 600 idle) c and a cannot run (200 each), b fits and strands the 100
    /// (33.3): 433.3 milli-GPU, 21.67% of the GPUs and 72.2% of the idle.
    @Test func handComputedFill() throws {
        let nodes = "sn,cpu_milli,memory_mib,gpu,model\ng,32000,131072,2,T4\n"
        let pods = "name,cpu_milli,memory_mib,num_gpu,gpu_milli\na,4000,1024,1,600\nb,3000,1024,1,500\nc,8000,1024,1,1000\nd,2000,1024,1,300\n"
        let dir = Paths.temporary()
        try nodes.write(toFile: "\(dir)/nodes.csv", atomically: true, encoding: .utf8)
        try pods.write(toFile: "\(dir)/pods.csv", atomically: true, encoding: .utf8)
        let yaml = """
            apiVersion: kfsim.io/v1alpha1
            kind: Scenario
            spec:
              cluster: {trace: {nodes: nodes.csv}}
              scheduler:
                profiles:
                  - plugins: {multiPoint: {enabled: [{name: Open-Gpu-Share}]}}
              workloads:
                - {name: t, kind: Trace, pods: pods.csv, gpuSharing: true}
            """
        try yaml.write(toFile: "\(dir)/s.yaml", atomically: true, encoding: .utf8)
        let scenario = try ScenarioLoader.load(path: "\(dir)/s.yaml")
        let r = try GPUFill.run(scenario, seed: 1, order: .trace, demand: 1.2)
        #expect(r.pods == 4 && r.failed == 1 && r.capacityMilli == 2000 && r.arrivedMilli == 2400)
        #expect(r.curve.map(\.arrivedPercent) == [30, 55, 105, 120])
        #expect(r.curve.map(\.allocatedPercent) == [30, 55, 55, 70])
        #expect(r.allocatedAtFull == 55)
        let last = try #require(r.curve.last)
        #expect(abs(last.fragmentPercent - 1300.0 / 3 / 20) < 1e-9, "\(last)")
        #expect(abs(try #require(last.fragmentRatio) - 1300.0 / 3 / 6) < 1e-9, "\(last)")
        // Shuffled by the seed: the same bytes for the same seed.
        let a = GPUFill.csv([("scenario", 7, try GPUFill.run(scenario, seed: 7, order: .shuffled, demand: 1.3))])
        let b = GPUFill.csv([("scenario", 7, try GPUFill.run(scenario, seed: 7, order: .shuffled, demand: 1.3))])
        #expect(a == b)
        // Each policy replaces the scoring; an unknown one is refused.
        #expect(GPUFill.withPolicy(scenario, "FGD") != nil && GPUFill.withPolicy(scenario, "Tetris") == nil)
    }
}
