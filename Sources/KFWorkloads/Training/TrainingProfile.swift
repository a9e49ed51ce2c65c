import KFControlPlane
/// What a training job's manifest cannot say about its training, from the scenario (by job name or
/// model) or annotations: model size, batch, compute per sample (CPU core-seconds, or GPU seconds by GPU
/// model), length, sync or async.
public struct TrainingProfile: Equatable, Sendable {
    /// Model name (for reports).
    public var model: String
    /// Model (parameter) size in bytes: what each worker pushes and pulls per iteration, in total over
    /// all PS shards.
    public var modelBytes: Double
    /// Global batch per iteration (samples), split over the workers in sync training.
    public var globalBatch: Double
    /// CPU work per sample on a worker, core-seconds.
    public var computePerSample: Double
    /// Iterations to train (sync: global steps; async: worker steps in total).
    public var iterations: Double
    /// Synchronous (barrier per iteration) or asynchronous SGD.
    public var synchronous: Bool
    /// Bandwidth of transfers between pods on one node (memory copies), bytes per second.
    public var localBandwidth: Double
    /// Optimus's fitted speed model, θ0...θ4 (sync: f = 1 / (θ0·M/w + θ1 + θ2·w/p + θ3·w + θ4·p); async:
    /// f = w / (θ0 + θ1·w/p + θ2·w + θ3·p)). When set, it replaces the PS iteration model: iterations
    /// per second depend on the counts only, not on placement or contention.
    public var optimusTheta: [Double]?
    /// GPU time per sample by GPU family (`gpuSecondsPerSample`); workers that request GPUs compute on
    /// them (families not listed are scaled from the first entry by throughput, `GPUModel`).
    public var gpuSecondsPerSample: [GPUTime] = []
    /// Workers the autoscaling policy may shrink to (nil: 1).
    public var minWorkers: Int?
    /// Workers the autoscaling policy may grow to (nil: the manifest's replicas).
    public var maxWorkers: Int?

    /// A profile.
    public init(model: String, modelBytes: Double, globalBatch: Double, computePerSample: Double, iterations: Double,
                synchronous: Bool = true, localBandwidth: Double = 10e9, minWorkers: Int? = nil, maxWorkers: Int? = nil) {
        self.model = model
        self.modelBytes = modelBytes
        self.globalBatch = globalBatch
        self.computePerSample = computePerSample
        self.iterations = iterations
        self.synchronous = synchronous
        self.localBandwidth = localBandwidth
        self.minWorkers = minWorkers
        self.maxWorkers = maxWorkers
    }
}
