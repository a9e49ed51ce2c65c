import KFCluster
import KFControlPlane
import KFEngine

/// A controller's retry delay after refused creations: `initial * 2^(failures-1)` capped at `max`.
/// Controllers also retry at once when one of their own pods ends, as real controllers re-sync then.
public struct RetryBackoff: Equatable, Sendable {
    /// First delay in seconds.
    public var initialSeconds: Double
    /// Largest delay in seconds.
    public var maxSeconds: Double

    /// A backoff.
    public init(initialSeconds: Double, maxSeconds: Double) {
        self.initialSeconds = initialSeconds
        self.maxSeconds = maxSeconds
    }

    /// Job controller: 1 s doubling to 1 min.
    public static let job = RetryBackoff(initialSeconds: 1, maxSeconds: 60)
    /// client-go's default controller rate limiter (controller-runtime operators, Argo's workflow queue):
    /// 5 ms doubling to 1000 s.
    public static let controllerRuntime = RetryBackoff(initialSeconds: 0.005, maxSeconds: 1000)

    /// The delay after `failures` consecutive refusals (≥ 1).
    public func delay(failures: Int) -> Double {
        var d = initialSeconds
        var n = 1
        while n < failures && d < maxSeconds {
            d *= 2
            n += 1
        }
        return min(d, maxSeconds)
    }
}

/// When the jobs of a workload arrive: `count` jobs, the first at `start`, then separated by
/// `interArrival` (nil: all at `start`).
public struct ArrivalProcess: Equatable, Sendable {
    /// Number of jobs.
    public var count: Int
    /// First arrival in seconds.
    public var start: Double
    /// Gaps between arrivals in seconds.
    public var interArrival: Distribution?

    /// A process.
    public init(count: Int = 1, start: Double = 0, interArrival: Distribution? = nil) {
        self.count = count
        self.start = start
        self.interArrival = interArrival
    }

    /// The arrival times, drawn from `stream`.
    public func times(_ stream: RandomStream) -> [SimTime] {
        var t = start
        var out: [SimTime] = []
        out.reserveCapacity(count)
        for i in 0..<count {
            if i > 0, let gap = interArrival { t += gap.sample(stream) }
            out.append(Clock.micros(seconds: t))
        }
        return out
    }
}
