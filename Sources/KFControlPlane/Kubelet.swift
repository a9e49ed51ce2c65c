import KFCluster
import KFEngine

/// The kubelets of all nodes: take a bound pod through binding latency, image pulls and container
/// start, then run it (its CPU share and work live in the cluster) until its work is done. Each pod has
/// at most one start timer and one completion timer, cancelled when they no longer hold.
final class Kubelet {
    enum Timer {
        /// The pod's containers are up.
        case started(PodID)
        /// The pod's work is done (at its projected end).
        case finished(PodID)
        /// An image pull on a node has finished.
        case imagePulled(node: Int32, image: Int)
    }

    let cluster: ClusterState
    let latencies: Latencies
    let latencyStream: RandomStream
    private var timers = TimerTable<Timer>()
    private var startTimer: [Scheduled?] = []
    private var finishTimer: [Scheduled?] = []
    /// Queues a kubelet timer in the run's event queue.
    let setTimer: (Scheduled, SimTime, EventPhase) -> Void

    init(cluster: ClusterState, latencies: Latencies, latencyStream: RandomStream, setTimer: @escaping (Scheduled, SimTime, EventPhase) -> Void) {
        self.cluster = cluster
        self.latencies = latencies
        self.latencyStream = latencyStream
        self.setTimer = setTimer
    }

    private func grow(_ id: PodID) {
        while startTimer.count <= Int(id) {
            startTimer.append(nil)
            finishTimer.append(nil)
        }
    }

    /// Sends a bound pod on its way: binding and kubelet sync, then image pulls, then container start.
    func launch(_ id: PodID, now: SimTime) {
        grow(id)
        if let old = startTimer[Int(id)] { timers.cancel(old) }
        let synced = now + Clock.micros(seconds: latencies.scheduling.sample(latencyStream))
        let (pulled, pulls) = cluster.pullImages(id, from: synced)
        for pull in pulls { setTimer(timers.add(.imagePulled(node: cluster.pods[Int(id)].node, image: pull.image)), pull.at, .release) }
        let startAt = pulled + Clock.micros(seconds: latencies.containerStart.sample(latencyStream))
        let handle = timers.add(.started(id))
        startTimer[Int(id)] = handle
        setTimer(handle, startAt, .arrival)
    }

    /// Queues (or moves) the completion of every pod whose projected end the cluster changed.
    func projectCompletions(now: SimTime) {
        for id in cluster.rescheduled {
            grow(id)
            if let old = finishTimer[Int(id)] {
                timers.cancel(old)
                finishTimer[Int(id)] = nil
            }
            // Read in place (a whole pod copied out counts a reference per field).
            let end = cluster.pods[Int(id)].projectedEnd
            if end >= 0 && cluster.pods[Int(id)].phase == .running {
                let handle = timers.add(.finished(id))
                finishTimer[Int(id)] = handle
                setTimer(handle, max(end, now), .release)
            }
        }
        cluster.rescheduled.removeAll(keepingCapacity: true)
    }

    /// Forgets a pod's timers (it ended).
    func forget(_ id: PodID) {
        grow(id)
        if let h = startTimer[Int(id)] { timers.cancel(h) }
        if let h = finishTimer[Int(id)] { timers.cancel(h) }
        startTimer[Int(id)] = nil
        finishTimer[Int(id)] = nil
    }

    /// The timer `handle` fires: what it means, if it still holds.
    func take(_ handle: Scheduled) -> Timer? {
        guard let timer = timers.take(handle) else { return nil }
        switch timer {
        case .started(let id):
            startTimer[Int(id)] = nil
            return cluster.pods[Int(id)].phase == .starting ? timer : nil
        case .finished(let id):
            finishTimer[Int(id)] = nil
            return cluster.pods[Int(id)].phase == .running ? timer : nil
        case .imagePulled:
            return timer
        }
    }
}
