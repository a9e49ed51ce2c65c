import KFCluster
import KFControlPlane

extension PipelineController {
    /// The data cache's worker on every node, as Alluxio and Fluid run it (a DaemonSet): a pod pinned to
    /// the node that requests the cache's capacity of memory, so the cache takes node memory from the
    /// pods. Created at start; deleted when the workload's last run has ended.
    func startCacheWorkers(_ sim: ControllerContext) {
        guard let cache = dataCache, cache.capacity > 0, !isDone else { return }
        for n in sim.cluster.liveNodes {
            let node = sim.cluster.nodes[Int(n)].spec.name
            let memory = Int64(cache.capacity)
            var pod = PodSpec(name: "\(name)-cache-\(node)", namespace: namespace, labels: ["app.kubernetes.io/component": "cache-worker"],
                              containers: [ContainerSpec(name: "cache", image: "kfsim/cache-worker",
                                                         requests: OptionalResources(cpu: 0, memory: memory),
                                                         limits: OptionalResources(memory: memory))],
                              work: .forever)
            pod.nodeSelector = [WellKnownLabels.hostname: node]
            cacheWorkerNames.insert(pod.name)
            creator.want(pod, job: -1)
        }
        flush(sim)
    }

    /// Deletes the cache workers (the workload is over).
    func stopCacheWorkers(_ sim: ControllerContext) {
        for pod in cacheWorkers { sim.deletePod(pod, reason: "workload done") }
        cacheWorkers.removeAll()
        creator.cancel(job: -1)
    }
}
