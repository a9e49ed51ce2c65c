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
    /// Time between time-series samples (0: no samples).
    public var sampleInterval: SimTime
    /// How long the run goes on with nothing but retries before it is declared stalled.
    public var stallWindow: SimTime
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

/// One time-series sample.
public struct Sample: Sendable, Equatable {
    /// Time.
    public var time: SimTime
    /// Allocated (requested) fractions of capacity.
    public var cpuAllocated: Double, memoryAllocated: Double, gpuAllocated: Double
    /// Fraction of CPU capacity actually used.
    public var cpuUsed: Double
    /// Pods admitted but not yet bound.
    public var pendingPods: Int
    /// Pods bound and starting.
    public var startingPods: Int
    /// Pods running.
    public var runningPods: Int
    /// Pods controllers want but could not create (refused by quota), at this instant.
    public var waitingCreations: Int
}
