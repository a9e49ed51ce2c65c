import KFEngine

/// Walks a controller's arrival times: wakes the controller at each one and hands over the jobs due.
struct ArrivalCursor {
    private(set) var times: [SimTime] = []
    private var next = 0
    let tag: Int64

    init(tag: Int64) { self.tag = tag }

    /// Whether every arrival has been handed over.
    var exhausted: Bool { next >= times.count }

    /// Sets the arrival times and asks for the first wake-up.
    mutating func start(_ times: [SimTime], controller: Int32, in sim: Simulation) {
        self.times = times
        if let first = times.first { sim.wake(controller, tag: tag, at: first) }
    }

    /// The indices of the arrivals due now; asks for the wake-up of the next one.
    mutating func due(controller: Int32, in sim: Simulation) -> Range<Int> {
        let first = next
        while next < times.count && times[next] <= sim.now { next += 1 }
        if next < times.count { sim.wake(controller, tag: tag, at: times[next]) }
        return first..<next
    }
}
