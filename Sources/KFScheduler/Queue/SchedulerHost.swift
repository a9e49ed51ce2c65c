import KFCluster
import KFEngine

/// What the scheduler needs from the control plane that runs it: the clock, its timers in the
/// event queue, and the kubelet to hand bound pods to.
public protocol SchedulerHost: AnyObject {
    /// Current simulated time.
    var now: SimTime { get }
    /// Queues the scheduler's timer `handle` at `time` in `phase`; the host hands it back through
    /// `Scheduler.fire(_:)`. Passive timers (backoffs, flushes, Permit waits) keep no run alive.
    func setSchedulerTimer(_ handle: Scheduled, at time: SimTime, phase: EventPhase, passive: Bool)
    /// A pod was bound and allowed to start: the kubelet takes over (binding latency, image pulls,
    /// container start).
    func launch(_ pod: PodID)
    /// A pod was bound: the run progressed.
    func noteProgress()
    /// Preemption: `victims` (bound pods) are evicted to make room for `preemptor`.
    func preempt(_ victims: [PodID], by preemptor: PodID)
}

/// What wakes the scheduler.
enum SchedulerTimer {
    /// Run scheduling cycles over the queue at this instant.
    case cycle
    /// Move pods whose backoff is over to the active queue (every whole second).
    case backoffFlush
    /// Move pods that stayed too long in the unschedulable pool (every 30 s).
    case leftoverFlush
    /// A pod held at Permit has waited its timeout.
    case permitTimeout(PodID)
}
