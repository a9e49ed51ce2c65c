import KFEngine

/// Everything the simulation can be asked to do at an instant: a timer of one of its parts.
public enum SimEvent {
    /// A kubelet timer (a pod's containers start, or its work completes).
    case kubelet(Scheduled)
    /// One of the scheduler's timers (its payload is in the scheduler).
    case scheduler(Scheduled)
    /// A controller's timer (its payload is in the controller's `TimerTable`).
    case timer(Int32, Scheduled)
    /// Take a time-series sample.
    case sample
}
