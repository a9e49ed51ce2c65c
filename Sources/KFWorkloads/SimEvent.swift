import KFCluster
import KFEngine

/// Everything the simulation can be asked to do at an instant.
public enum SimEvent {
    /// A bound pod's containers are up (pod version at binding).
    case podStarted(PodID, UInt32)
    /// A running pod's work is done (pod version when projected).
    case podFinished(PodID, UInt32)
    /// Run the scheduling cycle over the active queue.
    case scheduleCycle
    /// A pod's backoff is over: move it to the active queue.
    case backoffDone(PodID, UInt32)
    /// A pod has been unschedulable for the flush period: retry it.
    case flush(PodID, UInt32)
    /// A pod held at Permit has waited its timeout (pod version when held).
    case permitTimeout(PodID, UInt32)
    /// A controller's timer (its payload is in the controller's `TimerTable`).
    case timer(Int32, Scheduled)
    /// Take a time-series sample.
    case sample
}
