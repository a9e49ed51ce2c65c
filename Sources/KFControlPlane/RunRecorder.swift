import KFCluster
import KFEngine

/// What a run records as it goes: the job table, the time series and the utilisation integrals.
public struct RunRecorder {
    /// Jobs, by `JobID`.
    public internal(set) var jobs: [JobRecord] = []
    /// Time-series samples.
    public internal(set) var samples: [Sample] = []
    /// Per sample, every live node's usage (when the scenario asks for `nodes.csv`).
    public internal(set) var nodeSamples: [[NodeSample]] = []
    /// `events.csv` rows (when the scenario asks for them).
    public internal(set) var events: [LoggedEvent] = []
    /// How many times the series was thinned (every other sample dropped, interval doubled).
    public internal(set) var thinnings = 0
    /// Events handled (stale ones excluded).
    public internal(set) var eventCount = 0
    /// Time-weighted utilisation accumulator.
    public internal(set) var utilization = UtilizationIntegral()

    /// Makes room for `count` more jobs (a hint, capped like the pod table's: `ClusterState.podReservationCeiling`).
    mutating func reserveJobCapacity(_ count: Int) {
        guard count > 0 else { return }
        jobs.reserveCapacity(jobs.count + min(count, ClusterState.podReservationCeiling))
    }

    mutating func submit(name: String, kind: String, namespace: String, now: SimTime) -> JobID {
        jobs.append(JobRecord(name: name, kind: kind, namespace: namespace, submittedAt: now))
        utilization.noteSubmission(at: now)
        return JobID(jobs.count - 1)
    }

    mutating func finish(_ job: JobID, succeeded: Bool, now: SimTime) {
        jobs[Int(job)].finishedAt = now
        jobs[Int(job)].succeeded = succeeded
        utilization.noteCompletion(at: now)
    }

    /// The extra columns of the last sample.
    mutating func setExtra(_ values: [Double]) { samples[samples.count - 1].extra = values }

    /// Drops every other sample (those at odd multiples of the interval: the kept ones are the
    /// multiples of the doubled interval, as if sampled at it from the start).
    mutating func thin() {
        var kept: [Sample] = []
        kept.reserveCapacity(samples.count / 2 + 1)
        for i in stride(from: 0, to: samples.count, by: 2) { kept.append(samples[i]) }
        samples = kept
        if !nodeSamples.isEmpty { nodeSamples = stride(from: 0, to: nodeSamples.count, by: 2).map { nodeSamples[$0] } }
        thinnings += 1
    }

    mutating func sample(_ cluster: ClusterState, waitingCreations waiting: Int, now: SimTime, perNode: Bool) {
        if perNode {
            nodeSamples.append(cluster.liveNodes.map { n in
                let u = cluster.usage[Int(n)]
                return NodeSample(node: n, requested: u.requested, pods: u.podCount, cpuUsed: cluster.nodes[Int(n)].cpuBusy)
            })
        }
        let cap = cluster.capacity
        // No capacity of a resource (a cluster without GPUs): no data, not 0.
        func frac(_ a: Int64, _ b: Int64) -> Double { b == 0 ? .nan : Double(a) / Double(b) }
        samples.append(Sample(time: now,
                              cpuAllocated: frac(cluster.allocated.cpu, cap.cpu),
                              memoryAllocated: frac(cluster.allocated.memory, cap.memory),
                              gpuAllocated: cap.gpu == 0 ? .nan : cluster.allocatedGPUs / Double(cap.gpu),
                              cpuUsed: cap.cpu == 0 ? .nan : cluster.cpuUsed * 1000 / Double(cap.cpu),
                              gpuUsed: cap.gpu == 0 ? .nan : cluster.gpuUsed / Double(cap.gpu),
                              pendingPods: cluster.pendingCount, startingPods: cluster.startingCount, runningPods: cluster.runningCount,
                              waitingCreations: waiting))
    }
}
