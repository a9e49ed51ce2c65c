import KFConfig
import Foundation
import KFTestSupport
import KFCluster
import KFControlPlane
import KFWorkloads
import Testing
@testable import KFScenario

/// TFJob manifests as users write them, run through a scenario.
@Suite struct TFJobTests {
    /// The shape of the training operator's dist-mnist example: 2 PS + 4 workers, no resources.
    static let distMnist = """
apiVersion: "kubeflow.org/v1"
kind: "TFJob"
metadata:
  name: "dist-mnist-for-e2e-test"
spec:
  tfReplicaSpecs:
    PS:
      replicas: 2
      restartPolicy: Never
      template:
        spec:
          containers:
            - name: tensorflow
              image: kubeflow/tf-dist-mnist-test:1.0
    Worker:
      replicas: 4
      restartPolicy: Never
      template:
        spec:
          containers:
            - name: tensorflow
              image: kubeflow/tf-dist-mnist-test:1.0

"""

    static func scenario(policy: String, manifestFile: String, extra: String = "", scheduler: String = "") -> String {
        """
apiVersion: kfsim.io/v1alpha1
kind: Scenario
spec:
  stallTimeout: 10m
\(scheduler)  cluster:
    nodePools:
      - {name: n, count: 2, allocatable: {cpu: "8", memory: 32Gi}, nicBandwidth: 10G}
  namespaces:
    - name: kubeflow
      limitRange: {default: {cpu: "1", memory: 2Gi}, defaultRequest: {cpu: "1", memory: 2Gi}}
  workloads:
    - name: mnist
      kind: TFJob
      namespace: kubeflow
      policy: \(policy)
      manifests: \(manifestFile)
\(extra)      profiles:
        - {name: dist-mnist-for-e2e-test, model: mnist, modelSize: 10Mi, globalBatch: 100, computePerSample: 0.001, iterations: 500}

"""
    }

    func write(_ text: String, _ name: String, in dir: String) throws -> String {
        let path = "\(dir)/\(name)"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func temporary() -> String { (try? temporaryDirectory()) ?? Scratch.path("tfjob") }

    @Test func distMnistRunsUnmodifiedWithOnlyAProfile() throws {
        let dir = temporary()
        _ = try write(TFJobTests.distMnist, "dist-mnist.yaml", in: dir)
        let path = try write(TFJobTests.scenario(policy: "default", manifestFile: "dist-mnist.yaml"), "s.yaml", in: dir)
        let s = try ScenarioLoader.load(path: path)
        let sim = try s.makeSimulation()
        sim.run()
        #expect(sim.stopReason == .completed)
        #expect(sim.cluster.pods.count == 6)
        #expect(sim.jobs.count == 1 && sim.jobs[0].succeeded)
        // Requests came from the LimitRange: 1 CPU each.
        #expect(sim.cluster.pods.allSatisfy { $0.resources.requests.cpu == 1000 })
        #expect(sim.cluster.pods.map(\.spec.name).sorted() == ["dist-mnist-for-e2e-test-ps-0", "dist-mnist-for-e2e-test-ps-1",
                                                              "dist-mnist-for-e2e-test-worker-0", "dist-mnist-for-e2e-test-worker-1",
                                                              "dist-mnist-for-e2e-test-worker-2", "dist-mnist-for-e2e-test-worker-3"])
    }

    @Test func aKubectlListAndInlineManifestsLoad() throws {
        let dir = temporary()
        let list = "apiVersion: v1\nkind: List\nitems:\n" + TFJobTests.distMnist.split(separator: "\n").map { "  " + $0 }
            .joined(separator: "\n").replacingOccurrences(of: "  apiVersion: \"kubeflow.org/v1\"", with: "- apiVersion: \"kubeflow.org/v1\"") + "\n"
        _ = try write(list, "list.yaml", in: dir)
        let path = try write(TFJobTests.scenario(policy: "affinity", manifestFile: "list.yaml"), "s.yaml", in: dir)
        let s = try ScenarioLoader.load(path: path)
        #expect(s.workloads.map(\.kind) == ["TFJob"])
    }

    @Test func aManifestWithoutAProfileIsRefused() throws {
        let dir = temporary()
        _ = try write(TFJobTests.distMnist.replacingOccurrences(of: "dist-mnist-for-e2e-test", with: "other"), "m.yaml", in: dir)
        let path = try write(TFJobTests.scenario(policy: "default", manifestFile: "m.yaml"), "s.yaml", in: dir)
        #expect(throws: ConfigError.self) { try ScenarioLoader.load(path: path) }
        do { _ = try ScenarioLoader.load(path: path) } catch {
            #expect(error.description.hasSuffix("no training profile for TFJob 'other'; add one under the workload's profiles with name: other or model: <annotation kfsim.io/model>"))
        }
    }

    @Test func theDefaultOperatorDeadlocksAndGangSchedulingDoesNot() throws {
        let dir = temporary()
        _ = try write(TFJobTests.distMnist, "dist-mnist.yaml", in: dir)
        // Four copies at once on 16 cores: 4 x 6 one-core pods = 24 > 16. Interleaved creation gives every
        // job both PS and some workers; none can finish.
        let arrivals = "      arrivals: {count: 4, interArrival: 0}\n"
        for (policy, deadlocks) in [("default", true), ("gang", false), ("affinity", false), ("autoscaling", false)] {
            let path = try write(TFJobTests.scenario(policy: policy, manifestFile: "dist-mnist.yaml", extra: arrivals), "s-\(policy).yaml", in: dir)
            let sim = try ScenarioLoader.load(path: path).makeSimulation()
            sim.run()
            let report = sim.existingService(TrainingRuntime.self)!.report(sim)
            if deadlocks {
                #expect(sim.stopReason == .stalled)
                #expect(report.allSatisfy { $0.state == "deadlocked" }, "\(report.map(\.state))")
                #expect(report[0].detail.hasPrefix("holds 4 of 6 pods; waiting: 0/2 nodes are available: 2 Insufficient cpu."))
            } else {
                #expect(sim.stopReason == .completed, "\(policy)")
                #expect(report.allSatisfy { $0.state == "completed" }, "\(policy)")
            }
        }
    }

    static let coschedulingProfile = """
  scheduler:
    profiles:
      - plugins:
          queueSort: {enabled: [{name: Coscheduling}], disabled: [{name: "*"}]}
          preFilter: {enabled: [{name: Coscheduling}]}
          postFilter: {enabled: [{name: Coscheduling}]}
          permit: {enabled: [{name: Coscheduling}]}

"""

    @Test func coschedulingGangSchedulesInTheScheduler() throws {
        let dir = temporary()
        _ = try write(TFJobTests.distMnist, "dist-mnist.yaml", in: dir)
        let arrivals = "      arrivals: {count: 4, interArrival: 0}\n"
        let path = try write(TFJobTests.scenario(policy: "coscheduling", manifestFile: "dist-mnist.yaml", extra: arrivals,
                                                 scheduler: TFJobTests.coschedulingProfile), "s.yaml", in: dir)
        let sim = try ScenarioLoader.load(path: path).makeSimulation()
        sim.run()
        #expect(sim.stopReason == .completed)
        #expect(sim.existingService(TrainingRuntime.self)!.report(sim).allSatisfy { $0.state == "completed" })
        // Without the group-aware queue sort the groups' pods interleave; PostFilter still releases a
        // group's held pods as soon as a member fits nowhere, so the jobs complete.
        let noSort = TFJobTests.coschedulingProfile.replacingOccurrences(of: "          queueSort: {enabled: [{name: Coscheduling}], disabled: [{name: \"*\"}]}\n", with: "")
        let path2 = try write(TFJobTests.scenario(policy: "coscheduling", manifestFile: "dist-mnist.yaml", extra: arrivals, scheduler: noSort), "s2.yaml", in: dir)
        let sim2 = try ScenarioLoader.load(path: path2).makeSimulation()
        sim2.run()
        #expect(sim2.stopReason == .completed)
        // Without PostFilter too, every group is held part-way, all time out together and come back in
        // the same order: the run stalls and says so.
        let bare = noSort.replacingOccurrences(of: "          postFilter: {enabled: [{name: Coscheduling}]}\n", with: "")
        let path3 = try write(TFJobTests.scenario(policy: "coscheduling", manifestFile: "dist-mnist.yaml", extra: arrivals, scheduler: bare), "s3.yaml", in: dir)
        let sim3 = try ScenarioLoader.load(path: path3).makeSimulation()
        sim3.run()
        #expect(sim3.stopReason == .stalled)
    }

    @Test func coschedulingWithoutThePluginIsRefused() throws {
        let dir = temporary()
        _ = try write(TFJobTests.distMnist, "dist-mnist.yaml", in: dir)
        let path = try write(TFJobTests.scenario(policy: "coscheduling", manifestFile: "dist-mnist.yaml"), "s.yaml", in: dir)
        do {
            _ = try ScenarioLoader.load(path: path)
            Issue.record("accepted")
        } catch {
            #expect(error.description.hasSuffix("spec.workloads[0].policy: policy coscheduling needs the scheduler's Coscheduling plugin: enable it in spec.scheduler.profiles[].plugins at preFilter and permit"))
        }
    }

    @Test func theOptimusSpeedModelReplacesThePSModelWhenGiven() throws {
        let dir = temporary()
        _ = try write(TFJobTests.distMnist, "dist-mnist.yaml", in: dir)
        let text = TFJobTests.scenario(policy: "optimus", manifestFile: "dist-mnist.yaml")
            .replacingOccurrences(of: "iterations: 500}", with: "iterations: 500, optimus: {theta: [0.001, 0.02, 0.01, 0.003, 0.002]}}")
        let path = try write(text, "s.yaml", in: dir)
        let sim = try ScenarioLoader.load(path: path).makeSimulation()
        sim.run()
        let row = sim.existingService(TrainingRuntime.self)!.report(sim)[0]
        #expect(row.state == "completed")
        // f = 1 / (θ0·M/w + θ1 + θ2·w/p + θ3·w + θ4·p) at the allocation Optimus chose.
        let profile = sim.existingService(TrainingRuntime.self)!.jobs[0].spec.profile
        let expected = PSIterationModel.optimusSpeed(profile, theta: profile.optimusTheta!, ps: row.ps, workers: row.workersFinal)
        #expect(abs(row.meanIterationsPerSecond - expected) < 1e-6 * expected)
    }

    func runMnist(_ manifest: String, extra: String) throws -> (Simulation, TrainingRow) {
        let dir = temporary()
        _ = try write(manifest, "m.yaml", in: dir)
        let path = try write(TFJobTests.scenario(policy: "default", manifestFile: "m.yaml", extra: extra), "s.yaml", in: dir)
        let sim = try ScenarioLoader.load(path: path).makeSimulation()
        sim.run()
        return (sim, sim.existingService(TrainingRuntime.self)!.report(sim)[0])
    }

    @Test func aFailedPodWithRestartPolicyNeverFailsTheJob() throws {
        let (sim, row) = try runMnist(TFJobTests.distMnist, extra: "      podTimeToFailure: 20s\n")
        #expect(row.state == "failed")
        #expect(row.detail.hasPrefix("pod dist-mnist-for-e2e-test-"))
        #expect(row.detail.hasSuffix(" failed (restartPolicy Never)"))
        #expect(sim.jobs[0].finishedAt >= 0 && !sim.jobs[0].succeeded)
        #expect(sim.stopReason == .completed)
    }

    @Test func onFailureRestartsInPlaceUntilTheBackoffLimit() throws {
        let onFailure = TFJobTests.distMnist.replacingOccurrences(of: "restartPolicy: Never", with: "restartPolicy: OnFailure")
            .replacingOccurrences(of: "spec:\n  tfReplicaSpecs:", with: "spec:\n  runPolicy: {backoffLimit: 2}\n  tfReplicaSpecs:")
        // Six pods each failing every 5 s: the third restart exceeds backoffLimit 2.
        let (_, failing) = try runMnist(onFailure, extra: "      podTimeToFailure: 5s\n")
        #expect(failing.state == "failed")
        #expect(failing.restarts == 3)
        #expect(failing.detail == "BackoffLimitExceeded: 3 restarts, backoffLimit 2")
        // Rare failures: the job restarts (pausing 30 s each time) and completes later than without.
        let (_, clean) = try runMnist(onFailure, extra: "")
        let (_, rare) = try runMnist(onFailure.replacingOccurrences(of: "backoffLimit: 2", with: "backoffLimit: 100"),
                                     extra: "      podTimeToFailure: {distribution: exponential, mean: 600}\n")
        #expect(rare.state == "completed")
        if rare.restarts > 0 { #expect(rare.finished > clean.finished) }
    }

    @Test func activeDeadlineSecondsEndsAJob() throws {
        let short = TFJobTests.distMnist.replacingOccurrences(of: "spec:\n  tfReplicaSpecs:", with: "spec:\n  runPolicy: {activeDeadlineSeconds: 10}\n  tfReplicaSpecs:")
        let (_, row) = try runMnist(short, extra: "")
        #expect(row.state == "failed")
        #expect(row.detail == "DeadlineExceeded: active longer than 10.0 s")
    }

    @Test func inlineManifestsTakeTheWorkloadDefaults() throws {
        let dir = temporary()
        let inline = """
apiVersion: kfsim.io/v1alpha1
kind: Scenario
spec:
  cluster:
    nodePools:
      - {name: n, count: 2, allocatable: {cpu: "8", memory: 32Gi}}
  workloads:
    - name: inline
      kind: TFJob
      defaults: {resources: {requests: {cpu: 500m, memory: 1Gi}, limits: {cpu: "1", memory: 1Gi}}}
      manifests:
        - apiVersion: kubeflow.org/v1
          kind: TFJob
          metadata: {name: tiny, annotations: {kfsim.io/model: m, kfsim.io/iterations: "50"}}
          spec:
            tfReplicaSpecs:
              Worker:
                replicas: 2
                template: {spec: {containers: [{name: tensorflow, image: x, ports: [{containerPort: 2222}]}]}}
      profiles:
        - {model: m, modelSize: 1Mi, globalBatch: 10, computePerSample: 0.01, iterations: 1000}

"""
        let path = try write(inline, "s.yaml", in: dir)
        let sim = try ScenarioLoader.load(path: path).makeSimulation()
        sim.run()
        let row = sim.existingService(TrainingRuntime.self)!.report(sim)[0]
        #expect(row.state == "completed")
        // The annotation overrides the profile's iterations (done to within a microsecond of training: the
        // completion is a whole microsecond); the defaults gave every container its resources.
        #expect(abs(row.iterations - 50) < row.meanIterationsPerSecond * 1e-6)
        #expect(sim.cluster.pods.allSatisfy { $0.resources.requests == Resources(cpu: 500, memory: 1 << 30) && $0.resources.limitCPU == 1000 })
    }
}
