import KFControlPlane
import KFEngine

/// Walks a controller's arrival times: hands over the jobs due and says when the next one is due.
struct ArrivalCursor {
    private(set) var times: [SimTime] = []
    private var next = 0

    /// Whether every arrival has been handed over.
    var exhausted: Bool { next >= times.count }

    /// Sets the arrival times; returns the first (nil when there are none).
    mutating func start(_ times: [SimTime]) -> SimTime? {
        self.times = times
        return times.first
    }

    /// The indices of the arrivals due at `now`, and the time of the next arrival (nil: none left).
    mutating func due(now: SimTime) -> (due: Range<Int>, next: SimTime?) {
        let first = next
        while next < times.count && times[next] <= now { next += 1 }
        return (first..<next, next < times.count ? times[next] : nil)
    }
}
