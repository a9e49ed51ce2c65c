import KFEngine

/// Requests arriving at a service: a Poisson process whose rate varies in time, piecewise constant. The
/// rate at time t is the base rate of the piece t falls in (`pieces`, from a CSV or a list), times the
/// daily profile's factor for t's hour (`daily`, 24 factors, repeating every day), times the factor of
/// every burst covering t. Requests arrive from `start` until `end` (seconds).
public struct RequestTraffic: Sendable, Equatable {
    /// Base rate (requests per second) from each start time on; the first piece starts at 0.
    public var pieces: [(start: Double, rate: Double)]
    /// Factors for the 24 hours of a day (nil: 1 all day).
    public var daily: [Double]?
    /// Bursts: the rate times `factor` from `start` for `duration` seconds.
    public var bursts: [(start: Double, duration: Double, factor: Double)]
    /// The traffic's window, seconds.
    public var start: Double, end: Double

    /// Traffic at a constant `rate` from `start` to `end`.
    public init(rate: Double, start: Double = 0, end: Double) {
        self.init(pieces: [(0, rate)], daily: nil, bursts: [], start: start, end: end)
    }

    /// Traffic with every part given.
    public init(pieces: [(start: Double, rate: Double)], daily: [Double]?, bursts: [(start: Double, duration: Double, factor: Double)],
                start: Double, end: Double) {
        self.pieces = pieces
        self.daily = daily
        self.bursts = bursts
        self.start = start
        self.end = end
    }

    public static func == (a: RequestTraffic, b: RequestTraffic) -> Bool {
        a.pieces.map(\.start) == b.pieces.map(\.start) && a.pieces.map(\.rate) == b.pieces.map(\.rate) && a.daily == b.daily
            && a.bursts.map(\.start) == b.bursts.map(\.start) && a.bursts.map(\.duration) == b.bursts.map(\.duration)
            && a.bursts.map(\.factor) == b.bursts.map(\.factor) && a.start == b.start && a.end == b.end
    }

    /// The rate at `t` and the time it next changes (at most `end`).
    public func rate(at t: Double) -> (rate: Double, until: Double) {
        var until = end
        // The base piece.
        var k = 0
        while k + 1 < pieces.count && pieces[k + 1].start <= t { k += 1 }
        var r = pieces.isEmpty || t < pieces[0].start ? 0 : pieces[k].rate
        if k + 1 < pieces.count { until = min(until, pieces[k + 1].start) }
        if pieces.first.map({ t < $0.start }) == true { until = min(until, pieces[0].start) }
        if let daily, !daily.isEmpty {
            let hour = (t / 3600).rounded(.down)
            r *= daily[Int(hour.truncatingRemainder(dividingBy: 24))]
            until = min(until, (hour + 1) * 3600)
        }
        for b in bursts {
            if t >= b.start && t < b.start + b.duration {
                r *= b.factor
                until = min(until, b.start + b.duration)
            } else if b.start > t {
                until = min(until, b.start)
            }
        }
        return (max(r, 0), max(until, t))
    }

    /// Requests expected over the whole window (for checks and benchmarks).
    public var expectedRequests: Double {
        var t = start, total = 0.0
        while t < end {
            let (r, until) = rate(at: t)
            let next = until > t ? until : end
            total += r * (next - t)
            t = next
        }
        return total
    }
}

/// Draws the arrival times of `RequestTraffic` one at a time, exactly: within a piece of constant rate
/// the gaps are exponential; at a change of rate the process restarts (it has no memory).
public struct RequestArrivals {
    let traffic: RequestTraffic
    let stream: RandomStream
    /// The last arrival (or the window's start), seconds.
    public private(set) var time: Double

    /// The arrivals of `traffic`, drawn from `stream`.
    public init(_ traffic: RequestTraffic, stream: RandomStream) {
        self.traffic = traffic
        self.stream = stream
        self.time = traffic.start
    }

    /// The next arrival time in seconds (nil: the window is over).
    public mutating func next() -> Double? {
        while time < traffic.end {
            let (r, until) = traffic.rate(at: time)
            if r > 0 {
                let t = time + stream.exponential(mean: 1 / r)
                if t < until {
                    time = t
                    return t
                }
            }
            // Nothing before the rate changes: start again there.
            time = until > time ? until : traffic.end
        }
        return nil
    }
}
