import Foundation
import KFCluster
import KFControlPlane
import Testing
@testable import KFWorkloads
@testable import KFScenario

/// Traces beyond openb (issue 12): Alibaba PAI 2020 and Microsoft Philly as published, a generic CSV
/// with a column mapping, load scaling and node sampling; small excerpts written by hand.
@Suite struct TraceFormatsTests {
    /// Runs a Trace workload (`entry`: its keys) on 4 big nodes; the run's pods.
    static func run(_ entry: String, files: [String: String], cluster: String? = nil) throws -> Simulation {
        let dir = try temporaryDirectory(files)
        let scenario = """
apiVersion: kfsim.io/v1alpha1
kind: Scenario
spec:
  cluster:
\(cluster ?? "    nodePools:\n      - {name: n, count: 4, allocatable: {cpu: \"64\", memory: 512Gi, nvidia.com/gpu: \"8\"}}")
  workloads:
    - name: replay
      kind: Trace
\(entry)

"""
        try scenario.write(toFile: "\(dir)/s.yaml", atomically: true, encoding: .utf8)
        let sim = try ScenarioLoader.load(path: "\(dir)/s.yaml").makeSimulation()
        sim.run()
        return sim
    }

    /// PAI: the README's example job (a PS of 600% CPU, two workers of 400% CPU and 50% GPU), submitted
    /// at 100 s, tasks launched at 130 s and ending at 190 s (the PS) and 250 s; a job still running (no
    /// end time) is left out. Headerless, as published.
    @Test func paiJobAndTaskTables() throws {
        let jobs = """
job_0,inst_0,user_a,Terminated,100.0,250.0
job_1,inst_1,user_b,Running,120.0,

"""
        let tasks = """
job_0,ps,1.0,Terminated,130.0,190.0,600.0,29.296875,0.0,
job_0,worker,2.0,Terminated,130.0,250.0,400.0,8.0,50.0,V100
job_1,worker,1.0,Running,125.0,,100.0,1.0,100.0,T4

"""
        let sim = try Self.run("      format: pai\n      jobs: jobs.csv\n      tasks: tasks.csv", files: ["jobs.csv": jobs, "tasks.csv": tasks])
        let pods = sim.cluster.pods.sorted { $0.spec.name < $1.spec.name }
        #expect(pods.map(\.spec.name) == ["job_0-ps-0", "job_0-worker-0", "job_0-worker-1"])
        #expect(pods[0].resources.requests == Resources(cpu: 6000, memory: 30000 << 20, gpu: 0))
        #expect(pods[1].resources.requests == Resources(cpu: 4000, memory: 8 << 30, gpu: 1))
        // Arrivals from the first submission (0 s), run times from the task table.
        #expect(pods.allSatisfy { $0.createdAt == 0 })
        #expect(pods[0].finishedAt - pods[0].startedAt == 60_000_000 && pods[1].finishedAt - pods[1].startedAt == 120_000_000)
    }

    /// Philly: a two-machine job (4 + 4 GPUs) that ran twice (first attempt 02:57:00-03:00:00, second
    /// until 03:10:00) and a job that never started; CPU and memory from `resources`.
    @Test func phillyJobLog() throws {
        let log = """
[{"status": "Pass", "vc": "vc1", "jobid": "application_1", "user": "u1", "submitted_time": "2017-10-03 02:56:56",
  "attempts": [{"start_time": "2017-10-03 02:57:00", "end_time": "2017-10-03 03:00:00",
                "detail": [{"ip": "m1", "gpus": ["gpu0", "gpu1", "gpu2", "gpu3"]}, {"ip": "m2", "gpus": ["gpu0", "gpu1", "gpu2", "gpu3"]}]},
               {"start_time": "2017-10-03 03:01:00", "end_time": "2017-10-03 03:10:00", "detail": []}]},
 {"status": "Killed", "vc": "vc1", "jobid": "application_2", "user": "u2", "submitted_time": "2017-10-03 02:58:00", "attempts": []}]
"""
        let sim = try Self.run("      format: philly\n      jobs: cluster_job_log\n      resources: {cpu: \"8\", memory: 64Gi}", files: ["cluster_job_log": log])
        #expect(sim.cluster.pods.map(\.spec.name).sorted() == ["application_1-0", "application_1-1"])
        #expect(sim.cluster.pods.allSatisfy { $0.resources.requests == Resources(cpu: 8000, memory: 64 << 30, gpu: 4) })
        // 02:57:00 to 03:10:00: 780 s.
        #expect(sim.cluster.pods.allSatisfy { $0.finishedAt - $0.startedAt == 780_000_000 })
    }

    /// A generic CSV with a column mapping and units (milliseconds, GPU percent), and a load factor of 2
    /// that halves the gaps between arrivals but keeps run times.
    @Test func genericCSVWithLoadFactor() throws {
        let csv = """
id,submit_ms,begin_ms,finish_ms,cpus,gpu_pct
a,0,0,10000,2,0
b,4000,5000,25000,0.5,150
c,8000,9000,10000,1,100

"""
        let entry = """
      format: csv
      pods: trace.csv
      loadFactor: 2
      columns: {name: id, arrival: submit_ms, start: begin_ms, end: finish_ms, cpu: cpus, gpu: gpu_pct}
      units: {time: ms, gpu: percent}
"""
        let sim = try Self.run(entry, files: ["trace.csv": csv])
        let pods = sim.cluster.pods.sorted { $0.spec.name < $1.spec.name }
        #expect(pods.map(\.createdAt) == [0, 2_000_000, 4_000_000])
        #expect(pods.map { $0.finishedAt - $0.startedAt } == [10_000_000, 20_000_000, 1_000_000])
        #expect(pods.map(\.resources.requests.gpu) == [0, 2, 1] && pods[1].resources.requests.cpu == 500)
    }

    /// Node sampling keeps round(f x n) nodes evenly spaced: 10 nodes at 0.3 -> nodes 0, 3 and 6.
    @Test func nodeSampling() throws {
        var nodes = "sn,cpu_milli,memory_mib,gpu,model\n"
        for i in 0..<10 { nodes += "node-\(i),32000,131072,\(i % 2 == 0 ? 8 : 0),\(i % 2 == 0 ? "V100" : "")\n" }
        let pods = "name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time\np-0,1000,1024,0,0,,BE,Succeeded,0,10,0\n"
        let sim = try Self.run("      pods: pods.csv", files: ["nodes.csv": nodes, "pods.csv": pods],
                               cluster: "    trace: {nodes: nodes.csv, sample: 0.3}")
        #expect(sim.cluster.nodes.map(\.spec.name) == ["node-0", "node-3", "node-6"])
    }

    /// The openb variants without times (multigpu50, cpu100: made for filling a cluster) load: pods arrive
    /// one a second in file order and run to the end; what does not fit stays pending.
    @Test func openbVariantsWithoutTimesLoad() throws {
        let pods = "name,cpu_milli,memory_mib,num_gpu,gpu_milli\np-0,12000,16384,1,1000\np-1,6000,12288,1,460\np-2,4000,8192,8,1000\n"
        let sim = try Self.run("      pods: pods.csv", files: ["pods.csv": pods],
                               cluster: "    nodePools:\n      - {name: n, count: 1, allocatable: {cpu: \"32\", memory: 128Gi, nvidia.com/gpu: \"8\"}}\n  stallTimeout: 1m")
        #expect(sim.cluster.pods.map(\.createdAt) == [0, 1_000_000, 2_000_000])
        #expect(sim.cluster.pods.map { $0.phase == .running } == [true, true, false])
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let file = root.appendingPathComponent("../shared/data/alibaba-openb/openb_pod_list_multigpu50.csv").standardized.path
        if FileManager.default.fileExists(atPath: file) {
            let all = try OpenbTrace.pods(file: file)
            #expect(all.count == 9061 && all.allSatisfy { !$0.duration.isFinite })
        }
    }

    /// openb's gpu_spec restricts a pod to nodes of the listed GPU models (the node list's `model`): a T4
    /// pod goes to the T4 node, a V100 pod to the V100 node, an A100 pod nowhere.
    @Test func gpuSpecConstrainsTheGPUModel() throws {
        let nodes = "sn,cpu_milli,memory_mib,gpu,model\nnode-0,64000,262144,8,V100M16\nnode-1,64000,262144,8,T4\n"
        let pods = """
name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time
p-t4,4000,8192,1,1000,T4,LS,Running,0,100,0
p-v100,4000,8192,1,1000,V100M16|V100M32,LS,Running,0,100,0
p-a100,4000,8192,1,1000,A100,LS,Running,0,100,0

"""
        let sim = try Self.run("      pods: pods.csv", files: ["nodes.csv": nodes, "pods.csv": pods],
                               cluster: "    trace: {nodes: nodes.csv}\n  stallTimeout: 1m")
        func nodeOf(_ name: String) -> String? {
            sim.cluster.pods.first { $0.spec.name == name }.flatMap { $0.node >= 0 ? sim.cluster.nodes[Int($0.node)].spec.name : nil }
        }
        #expect(nodeOf("p-t4") == "node-1" && nodeOf("p-v100") == "node-0" && nodeOf("p-a100") == nil)
    }

    /// An openb gpushare-style excerpt (gpu_milli below 1000 for one-GPU pods) with `gpuSharing: true`:
    /// the shares pack onto the devices of the GPU node by best fit (460 + 500 on device 0, 700 on device
    /// 1), the whole-GPU pod takes the free device 2, and the trace's shapes become the typical pods.
    /// Without the Open-Gpu-Share plugin the scenario is refused; a share of several GPUs is refused.
    @Test func gpushareTraceKeepsSharesPerDevice() throws {
        let nodes = "sn,cpu_milli,memory_mib,gpu,model\nnode-0,64000,262144,4,V100M16\nnode-1,32000,131072,0,\n"
        // Without times (as the fill variants): the pods arrive 1 s apart and run until the run stalls.
        let pods = """
name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec
p-0,6000,12288,1,460,
p-1,4000,8192,1,700,
p-2,4000,8192,1,500,
p-3,8000,16384,1,1000,
p-4,2000,4096,0,0,

"""
        let scheduler = "  scheduler:\n    profiles:\n      - plugins: {multiPoint: {enabled: [{name: Open-Gpu-Share}]}}"
        let sim = try Self.run("      pods: pods.csv\n      gpuSharing: true\n" + scheduler, files: ["nodes.csv": nodes, "pods.csv": pods],
                               cluster: "    trace: {nodes: nodes.csv}\n  stallTimeout: 1m")
        let held = sim.cluster.gpuDevices.held
        func devices(_ i: Int) -> [Int32]? { held[PodID(i)]?.devices }
        #expect(sim.cluster.pods.map(\.spec.gpuMilli) == [460, 700, 500, 0, 0])
        #expect(devices(0) == [0] && devices(1) == [1] && devices(2) == [0] && devices(3) == [2], "\(held)")
        #expect(sim.cluster.gpuDevices.left[0] == [40, 300, 0, 1000])
        // The utilisation metrics count the shares: 1 whole GPU + 1.66 in shares.
        #expect(abs(sim.cluster.allocatedGPUs - 2.66) < 1e-12 && abs(sim.cluster.gpuUsed - 2.66) < 1e-12)
        // Five shapes of one pod each: 95% of 5 pods is 4, so the first four (by CPU) are typical, 1/4 each.
        #expect(sim.cluster.gpuDevices.typicalPods.map(\.cpu) == [8000, 6000, 4000, 4000])
        func refusal(_ entry: String, _ pods: String) -> String {
            do { _ = try Self.run(entry, files: ["nodes.csv": nodes, "pods.csv": pods], cluster: "    trace: {nodes: nodes.csv}"); return "accepted" } catch {
                return "\(error)"
            }
        }
        #expect(refusal("      pods: pods.csv\n      gpuSharing: true", pods).contains("gpuSharing needs the Open-Gpu-Share plugin"))
        let several = pods.replacingOccurrences(of: "p-1,4000,8192,1,700", with: "p-1,4000,8192,2,700")
        #expect(refusal("      pods: pods.csv", several).contains("pods.csv:3:17: spec.workloads[0].pods: a GPU share (gpu_milli 700 < 1000) needs num_gpu 1, got 2"),
                "\(refusal("      pods: pods.csv", several))")
    }

    /// Bad traces are refused where the problem is.
    @Test func badTracesAreRefusedWithLocations() throws {
        func refusal(_ entry: String, _ files: [String: String]) -> String {
            do { _ = try Self.run(entry, files: files); return "accepted" } catch { return "\(error)" }
        }
        let tasks = "job_0,ps,1.0,Terminated,130.0,120.0,600.0,1.0,0.0,\n"
        #expect(refusal("      format: pai\n      jobs: jobs.csv\n      tasks: tasks.csv",
                        ["jobs.csv": "job_0,i,u,Terminated,100.0,250.0\n", "tasks.csv": tasks])
            .contains("tasks.csv:1:31: spec.workloads[0].tasks: end_time 120.0 is before start_time 130.0"))
        #expect(refusal("      format: csv\n      pods: t.csv\n      columns: {arrival: t, duration: d}\n      units: {time: fortnights}",
                        ["t.csv": "t,d\n0,1\n"]).contains("unknown value 'fortnights'; accepted: s, ms, us, min, h"))
        #expect(refusal("      format: philly\n      jobs: log", ["log": "{\"not\": \"a list\"}"]).contains("expected a JSON list of jobs"))
        #expect(refusal("      format: pai\n      jobs: jobs.csv", ["jobs.csv": "x\n"]).contains("format pai needs 'tasks'"))
    }
}
