import KFCluster
import KFEngine

/// Everything the simulation can be asked to do at an instant.
public enum SimEvent {
    /// A bound pod's containers are up (pod version at binding).
    case podStarted(PodID, UInt32)
    /// A running pod's work is done (pod version when projected).
    case podFinished(PodID, UInt32)
    /// One of the scheduler's timers (its payload is in the scheduler).
    case scheduler(Scheduled)
    /// A controller's timer (its payload is in the controller's `TimerTable`).
    case timer(Int32, Scheduled)
    /// Take a time-series sample.
    case sample
}
