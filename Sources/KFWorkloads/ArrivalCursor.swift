import KFControlPlane
import KFEngine

/// Walks a controller's arrival times: sets the controller's arrival timer for each one and hands
/// over the jobs due when it fires.
struct ArrivalCursor {
    private(set) var times: [SimTime] = []
    private var next = 0

    /// Whether every arrival has been handed over.
    var exhausted: Bool { next >= times.count }

    /// Sets the arrival times and the timer `arrival` of `timers` for the first.
    mutating func start<T>(_ times: [SimTime], timers: inout ControllerTimers<T>, arrival: T, in sim: ControllerContext) {
        self.times = times
        if let first = times.first { timers.set(arrival, at: first, in: sim) }
    }

    /// The indices of the arrivals due now; sets the timer `arrival` for the next one.
    mutating func due<T>(timers: inout ControllerTimers<T>, arrival: T, in sim: ControllerContext) -> Range<Int> {
        let first = next
        while next < times.count && times[next] <= sim.now { next += 1 }
        if next < times.count { timers.set(arrival, at: times[next], in: sim) }
        return first..<next
    }
}

extension PodCreator {
    /// A creator for controller `owner` (at `index`) whose retries set the passive timer `retry` of the
    /// owner's timers (`timers`, a key path to them).
    convenience init<Owner: AnyObject, T>(owner: Owner, index: Int32, timers: ReferenceWritableKeyPath<Owner, ControllerTimers<T>>,
                                          retry: T, backoff: RetryBackoff, in sim: ControllerContext) {
        self.init(controller: index, backoff: backoff, scheduleRetry: { [unowned owner, unowned sim] at in
            owner[keyPath: timers].set(retry, at: at, passive: true, in: sim)
        }) { [unowned sim] in sim.jobs[Int($0)].name }
    }
}
