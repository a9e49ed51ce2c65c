import Foundation
import KFCluster
import KFControlPlane
import Testing
@testable import KFWorkloads
@testable import KFScenario

/// PyTorchJob, MPIJob and TrainJob manifests as published (issue 11), run unmodified given a profile,
/// and their iteration times checked by hand from where the scheduler put them.
@Suite struct TrainingKindsTests {
    /// The training operator's examples/pytorch/mnist/v1/pytorch_job_mnist_gloo.yaml, as published.
    static let pytorchMnist = """
apiVersion: "kubeflow.org/v1"
kind: "PyTorchJob"
metadata:
  name: "pytorch-dist-mnist-gloo"
spec:
  pytorchReplicaSpecs:
    Master:
      replicas: 1
      restartPolicy: OnFailure
      template:
        spec:
          containers:
            - name: pytorch
              image: gcr.io/<your_project>/pytorch_dist_mnist:latest
              args: ["--backend", "gloo"]
              # Comment out the below resources to use the CPU.
              resources: 
                limits:
                  nvidia.com/gpu: 1
    Worker:
      replicas: 1
      restartPolicy: OnFailure
      template:
        spec:
          containers: 
            - name: pytorch
              image: gcr.io/<your_project>/pytorch_dist_mnist:latest
              args: ["--backend", "gloo"]
              # Comment out the below resources to use the CPU.
              resources: 
                limits:
                  nvidia.com/gpu: 1

"""

    /// The training operator's examples/mpi/tensorflow-mnist.yaml (an MPIJob with Horovod), as published.
    static let mpiMnist = """
apiVersion: kubeflow.org/v1
kind: MPIJob
metadata:
  name: tensorflow-mnist
  namespace: kubeflow
spec:
  slotsPerWorker: 1
  runPolicy:
    cleanPodPolicy: Running
  mpiReplicaSpecs:
    Launcher:
      replicas: 1
      template:
        spec:
          containers:
          - image: horovod/horovod:0.20.0-tf2.3.0-torch1.6.0-mxnet1.5.0-py3.7-cpu
            name: mpi
            command:
            - mpirun
            args:
            - -np
            - "2"
            - --allow-run-as-root
            - -bind-to
            - none
            - -map-by
            - slot
            - -x
            - LD_LIBRARY_PATH
            - -x
            - PATH
            - -mca
            - pml
            - ob1
            - -mca
            - btl
            - ^openib
            - python
            - /examples/tensorflow2_mnist.py
            resources:
              limits:
                cpu: 1
                memory: 2Gi
    Worker:
      replicas: 2
      template:
        spec:
          containers:
          - image: horovod/horovod:0.20.0-tf2.3.0-torch1.6.0-mxnet1.5.0-py3.7-cpu
            name: mpi
            resources:
              limits:
                cpu: 2
                memory: 4Gi

"""

    /// Kubeflow Trainer's getting-started TrainJob on the torch-distributed runtime.
    static let trainJob = """
apiVersion: trainer.kubeflow.org/v1alpha1
kind: TrainJob
metadata:
  name: pytorch-simple
  namespace: kubeflow
spec:
  runtimeRef:
    name: torch-distributed
  trainer:
    numNodes: 2
    image: docker.io/kubeflow/pytorch-mnist:v1-9e12c68
    command:
      - "python3"
      - "/opt/pytorch-mnist/mnist.py"
      - "--epochs=1"
    resourcesPerNode:
      requests:
        nvidia.com/gpu: 2

"""

    /// Two nodes of 4 V100 (SXM2: NVLink) GPUs, 32 CPUs, 25 Gbit/s NICs.
    static func run(_ manifest: String, kind: String, network: String = "phased") throws -> (Simulation, TrainingRow) {
        let dir = try temporaryDirectory(["job.yaml": manifest])
        let scenario = """
apiVersion: kfsim.io/v1alpha1
kind: Scenario
spec:
  cluster:
    nodePools:
      - name: gpu
        count: 2
        allocatable: {cpu: "32", memory: 128Gi, nvidia.com/gpu: "4"}
        labels: {nvidia.com/gpu.product: Tesla-V100-SXM2-16GB}
        nicBandwidth: 25G
  namespaces:
    - name: kubeflow
  workloads:
    - name: train
      kind: \(kind)
      namespace: kubeflow
      network: \(network)
      manifests: job.yaml
      profiles:
        - {model: mnist, name: \(kind == "MPIJob" ? "tensorflow-mnist" : kind == "TrainJob" ? "pytorch-simple" : "pytorch-dist-mnist-gloo"), modelSize: 100M, globalBatch: 256, computePerSample: 0.002, iterations: 1000, gpuSecondsPerSample: {A100: 0.0005}}

"""
        try scenario.write(toFile: "\(dir)/s.yaml", atomically: true, encoding: .utf8)
        let sim = try ScenarioLoader.load(path: "\(dir)/s.yaml").makeSimulation()
        sim.run()
        let row = try #require(sim.existingService(TrainingRuntime.self)?.report(sim).first)
        return (sim, row)
    }

    /// Equal but for the microsecond the completion is rounded to.
    func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-6 * max(1, abs(b)) }

    /// Master and worker, one V100 each: compute 128 samples x 0.0005 x 312/125 s = 0.15975 s; on two
    /// nodes a ring of 2: 100 MB / 3.125 GB/s = 0.032 s; on one node 2 x 1/2 x 100 MB / 150 GB/s.
    @Test func pytorchMnistRunsAsPublished() throws {
        let (sim, row) = try Self.run(Self.pytorchMnist, kind: "PyTorchJob")
        // Worker replicas (the master trains too, as rank 0).
        #expect(row.state == "completed" && row.workersFinal == 1 && row.ps == 0)
        let nodes = Set(sim.cluster.pods.map(\.node))
        let compute = 128 * 0.0005 * 312 / 125
        let exchange = nodes.count == 2 ? 100e6 / 3.125e9 : 100e6 / 150e9
        #expect(close(row.meanIterationsPerSecond, 1 / (compute + exchange)))
        #expect(sim.jobs[0].kind == "PyTorchJob")
        // GPU time: both GPUs compute compute / (compute + exchange) of the training time.
        let job = sim.existingService(TrainingRuntime.self)!.jobs[0]
        #expect(abs(job.gpuBusySeconds - 2 * compute / (compute + exchange) * job.trainingSeconds) < 1e-6 * job.gpuBusySeconds)
    }

    /// Two CPU workers of 2 cores (limits only: requests = limits) and a launcher that does not train:
    /// compute 128 x 0.002 / 2 = 0.128 s, ring of two over 25 Gbit/s (if apart) or local copies.
    @Test func mpiMnistRunsAsPublished() throws {
        let (sim, row) = try Self.run(Self.mpiMnist, kind: "MPIJob")
        #expect(row.state == "completed" && row.workersFinal == 2)
        #expect(sim.cluster.pods.count == 3 && sim.cluster.pods.contains { $0.spec.name == "tensorflow-mnist-launcher-0" })
        let workers = sim.cluster.pods.filter { $0.spec.name.contains("-worker-") }.map(\.node)
        let exchange = workers[0] != workers[1] ? 100e6 / 3.125e9 : 100e6 / 10e9
        #expect(close(row.meanIterationsPerSecond, 1 / (0.128 + exchange)))
    }

    /// A TrainJob of 2 nodes with 2 GPUs each: each node computes 128 samples on its 2 GPUs (0.15975 / 2
    /// s); the allreduce is hierarchical: 2 x 1/2 x S / 150 GB/s over NVLink inside each node, then
    /// S / 3.125 GB/s between the nodes (on one node: a ring of 4 GPUs, 2 x 3/4 x S / 150 GB/s).
    @Test func trainJobRunsOnItsNodes() throws {
        let (sim, row) = try Self.run(Self.trainJob, kind: "TrainJob")
        #expect(row.state == "completed" && row.workersFinal == 2)
        #expect(sim.cluster.pods.allSatisfy { $0.resources.requests.gpu == 2 && $0.spec.containers[0].image.hasPrefix("docker.io/kubeflow/pytorch-mnist") })
        let nodes = Set(sim.cluster.pods.map(\.node))
        let compute = 128 * 0.0005 * 312 / 125 / 2
        let exchange = nodes.count == 2 ? 100e6 / 150e9 + 100e6 / 3.125e9 : 1.5 * 100e6 / 150e9
        #expect(close(row.meanIterationsPerSecond, 1 / (compute + exchange)))
    }

    /// Bad training manifests: an unknown replica type for the kind, a wrong apiVersion, a GPU family
    /// kfsim does not know.
    @Test func badTrainingManifestsAreRefused() throws {
        func refusal(_ text: String, kind: String) -> String {
            do { _ = try Self.run(text, kind: kind); return "accepted" } catch { return "\(error)" }
        }
        #expect(refusal(Self.pytorchMnist.replacingOccurrences(of: "    Master:", with: "    PS:"), kind: "PyTorchJob")
            .contains("unknown PyTorchJob replica type 'PS'; accepted: Master, Worker"))
        #expect(refusal(Self.mpiMnist.replacingOccurrences(of: "kubeflow.org/v1", with: "kubeflow.org/v1alpha9"), kind: "MPIJob")
            .contains("unsupported apiVersion 'kubeflow.org/v1alpha9' for MPIJob; accepted: kubeflow.org/v2beta1, kubeflow.org/v1"))
    }
}
