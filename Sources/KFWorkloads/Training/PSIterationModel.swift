import KFControlPlane
/// The parameter-server iteration model (MODEL §7): each worker computes on its share of the batch at
/// its fluid CPU rate, then pushes S/p bytes to every PS shard and pulls S/p bytes back; a transfer
/// between pods on one node runs at the local (memory) bandwidth, one across nodes at its flow's
/// max-min fair rate. Pushes to all shards run concurrently, then pulls. Synchronous training waits for
/// the slowest worker (barrier).
public enum PSIterationModel {
    /// One worker's view of an iteration.
    public struct WorkerIteration: Equatable, Sendable {
        /// Seconds computing.
        public var compute: Double
        /// Seconds communicating (push then pull).
        public var communication: Double
        /// Total.
        public var total: Double { compute + communication }
    }

    /// Per-worker compute and communication times.
    ///
    /// - Parameters:
    ///   - workerRates: each worker's CPU rate in cores.
    ///   - pushRates: `pushRates[i][j]`, bytes/s from worker i to PS shard j (local bandwidth when co-located).
    ///   - pullRates: `pullRates[i][j]`, bytes/s from PS shard j to worker i.
    public static func workers(_ profile: TrainingProfile, workerRates: [Double], pushRates: [[Double]],
                               pullRates: [[Double]]) -> [WorkerIteration] {
        let w = Double(workerRates.count)
        let shards = pushRates.first?.count ?? 0
        let shardBytes = shards > 0 ? profile.modelBytes / Double(shards) : 0
        let samples = profile.synchronous ? profile.globalBatch / w : profile.globalBatch
        return workerRates.indices.map { i in
            let compute = workerRates[i] > 0 ? profile.computePerSample * samples / workerRates[i] : .infinity
            var push = 0.0, pull = 0.0
            for j in 0..<shards {
                push = max(push, pushRates[i][j] > 0 ? shardBytes / pushRates[i][j] : .infinity)
                pull = max(pull, pullRates[i][j] > 0 ? shardBytes / pullRates[i][j] : .infinity)
            }
            return WorkerIteration(compute: compute, communication: push + pull)
        }
    }

    /// Optimus's analytic speed (iterations per second) for `ps` shards and `workers` workers.
    public static func optimusSpeed(_ profile: TrainingProfile, theta t: [Double], ps: Int, workers: Int) -> Double {
        let p = Double(max(ps, 1)), w = Double(workers), m = profile.globalBatch
        guard workers > 0, t.count >= 5 || (!profile.synchronous && t.count >= 4) else { return 0 }
        if profile.synchronous {
            let inverse = t[0] * m / w + t[1] + t[2] * w / p + t[3] * w + t[4] * p
            return inverse > 0 ? 1 / inverse : 0
        }
        let denominator = t[0] + t[1] * w / p + t[2] * w + t[3] * p
        return denominator > 0 ? w / denominator : 0
    }

    /// Iterations per second of the job: sync, 1 / slowest worker; async, the sum of the workers' rates.
    public static func iterationsPerSecond(_ profile: TrainingProfile, _ workers: [WorkerIteration]) -> Double {
        iterationsPerSecond(synchronous: profile.synchronous, workers)
    }

    /// The same, for synchronous (one barrier per iteration) or asynchronous training.
    public static func iterationsPerSecond(synchronous: Bool, _ workers: [WorkerIteration]) -> Double {
        guard !workers.isEmpty else { return 0 }
        if synchronous {
            let slowest = workers.map(\.total).max()!
            return slowest > 0 && slowest.isFinite ? 1 / slowest : 0
        }
        return workers.reduce(0) { $0 + ($1.total > 0 && $1.total.isFinite ? 1 / $1.total : 0) }
    }
}
