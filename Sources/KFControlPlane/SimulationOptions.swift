import KFCluster
import KFEngine

/// Pod start-up latencies, each a distribution in seconds (all zero in reference mode).
public struct Latencies: Equatable, Sendable {
    /// From binding decision to the kubelet seeing the pod (API round trips, scheduling latency).
    public var scheduling: Distribution
    /// From image present to container running.
    public var containerStart: Distribution

    /// Latencies.
    public init(scheduling: Distribution = .constant(0), containerStart: Distribution = .constant(0)) {
        self.scheduling = scheduling
        self.containerStart = containerStart
    }

    /// No latency at all.
    public static let zero = Latencies()
}

/// Run-level settings of a simulation.
public struct SimulationOptions: Equatable, Sendable {
    /// Stop at this time (nil: when everything has ended or nothing can change any more).
    public var horizon: SimTime?
    /// Time between time-series samples at the start of the run (0: no samples).
    public var sampleInterval: SimTime
    /// The most samples kept: when the series reaches it, every other sample is dropped and the
    /// interval doubles (the series stays between half and all of it, whatever the run's length).
    /// Default `autoSampleCap`; a scenario that sets `outputs.sampleInterval` gets `hardSampleCap`.
    public var sampleCap: Int = SimulationOptions.autoSampleCap
    /// Whether the scenario chose the interval or the cap (thinning is then warned about).
    public var samplingChosen = false
    /// The sample cap when the scenario leaves the interval to kfsim: a few thousand rows.
    public static let autoSampleCap = 4096
    /// The sample cap when the scenario sets the interval (thinning past it is warned about).
    public static let hardSampleCap = 1_000_000
    /// How long the run goes on with nothing but retries before it is declared stalled.
    public var stallWindow: SimTime
    /// Stop after this many events (nil: no budget; `--max-events`).
    public var maxEvents: Int?
    /// Record every live node's usage at each sample (`nodes.csv`).
    public var recordNodes = false
    /// Record every scheduling attempt and refused creation (`events.csv`).
    public var recordEvents = false
    /// With `recordEvents`, also each attempt's scores of the chosen node and the runner-up.
    public var recordScores = false
    /// Start-up latencies.
    public var latencies: Latencies

    /// Options.
    public init(horizon: SimTime? = nil, sampleInterval: SimTime = 10 * Clock.microsPerSecond,
                stallWindow: SimTime = 3600 * Clock.microsPerSecond, latencies: Latencies = .zero) {
        self.horizon = horizon
        self.sampleInterval = sampleInterval
        self.stallWindow = stallWindow
        self.latencies = latencies
    }
}

/// One node's usage at a sample (`nodes.csv`).
public struct NodeSample: Sendable, Equatable {
    /// Node index.
    public var node: Int32
    /// Requests of the pods bound there.
    public var requested: Resources
    /// Pods bound there.
    public var pods: Int64
    /// Cores its pods use.
    public var cpuUsed: Double
}

/// One time-series sample.
public struct Sample: Sendable, Equatable {
    /// Time.
    public var time: SimTime
    /// Allocated (requested) fractions of capacity.
    public var cpuAllocated: Double, memoryAllocated: Double, gpuAllocated: Double
    /// Fraction of CPU capacity actually used.
    public var cpuUsed: Double
    /// Fraction of GPU capacity busy (GPUs times duty cycles).
    public var gpuUsed: Double = .nan
    /// Pods admitted but not yet bound.
    public var pendingPods: Int
    /// Pods bound and starting.
    public var startingPods: Int
    /// Pods running.
    public var runningPods: Int
    /// Pods controllers want but could not create (refused by quota), at this instant.
    public var waitingCreations: Int
    /// The extra columns' values (`Simulation.extraSeriesNames`), in order.
    public var extra: [Double] = []
}
