import KFCluster
import KFControlPlane
import KFEngine

/// How a Deployment replaces its pods when its template changes (`spec.strategy`).
public enum RolloutStrategy: Sendable, Equatable {
    /// A count, or a percentage of the desired replicas.
    public enum Amount: Sendable, Equatable { case count(Int), percent(Int) }
    /// New replicas come up while old ones go, at most `maxSurge` above and `maxUnavailable` below the
    /// desired count (defaults 25% and 25%).
    case rollingUpdate(maxSurge: Amount, maxUnavailable: Amount)
    /// Every old replica goes before any new one comes.
    case recreate

    /// The surge and unavailability allowed for `desired` replicas, as the deployment controller rounds
    /// them (surge up, unavailability down; both zero means one unavailable).
    func limits(desired: Int) -> (surge: Int, unavailable: Int) {
        guard case .rollingUpdate(let s, let u) = self else { return (0, desired) }
        func scaled(_ a: Amount, up: Bool) -> Int {
            switch a {
            case .count(let n): return n
            case .percent(let p): return up ? (p * desired + 99) / 100 : p * desired / 100
            }
        }
        let surge = scaled(s, up: true), unavailable = scaled(u, up: false)
        return surge == 0 && unavailable == 0 ? (0, 1) : (surge, unavailable)
    }
}

/// The ReplicaSets of a service: scaling within the current revision, and rollouts of a new revision
/// (the deployment controller's rolling update or recreate).
extension ServiceController {
    /// Live, not retiring replicas (of revision `revision`, or older ones with `older`).
    func activeReplicas(revision: Int, older: Bool = false) -> [Int] {
        replicas.indices.filter {
            replicas[$0].isLive && !replicas[$0].terminating && (older ? replicas[$0].revision < revision : replicas[$0].revision == revision)
        }
    }

    /// Creates or retires replicas so that `desired` of the current revision are live and not retiring
    /// (during a rollout, one step of it).
    func reconcileReplicas() {
        replicasChanged = true
        defer { replicasChanged = true }
        if rollingOut { rolloutStep(); return }
        let active = activeReplicas(revision: revision)
        if active.count < desired {
            for _ in active.count..<desired { addReplica() }
        } else if active.count > desired {
            retire(Array(victimOrder(active).prefix(active.count - desired)))
        }
    }

    /// ReplicaSet's order of pods to remove: not yet running first, then unready, then the most recently
    /// ready, then the newest.
    func victimOrder(_ list: [Int]) -> [Int] {
        list.sorted { a, b in
            let ka = (replicas[a].startedAt >= 0 ? 1 : 0, replicas[a].ready ? 1 : 0, -replicas[a].readyAt, -a)
            let kb = (replicas[b].startedAt >= 0 ? 1 : 0, replicas[b].ready ? 1 : 0, -replicas[b].readyAt, -b)
            return ka < kb
        }
    }

    /// Replicas stop taking requests; each is deleted once it holds none (not yet created: dropped).
    func retire(_ victims: [Int]) {
        guard !victims.isEmpty else { return }
        replicasChanged = true
        for r in victims {
            replicas[r].terminating = true
            if replicas[r].pod < 0 {
                replicas[r].gone = true
            } else if replicas[r].busy == 0 && replicas[r].queue.isEmpty {
                toDelete.append(replicas[r].pod)
            }
        }
        if victims.contains(where: { replicas[$0].pod < 0 }) { creator.cancel(job: -1); requeueWanted() }
    }

    /// A new revision of the pod template is rolled out now.
    func startRollout(_ sim: ControllerContext) {
        guard !finished else { return }
        revision += 1
        rollingOut = true
        rollouts.append((sim.now, -1))
        advancing = true
        rolloutStep()
        advancing = false
        flushDeletes(sim)
    }

    /// One step of the rollout: new replicas up to the surge, old ones down to the unavailability allowed
    /// (unready old ones first: they are not available anyway); Recreate waits for every old pod to go.
    func rolloutStep() {
        let new = activeReplicas(revision: revision), old = activeReplicas(revision: revision, older: true)
        switch spec.strategy {
        case .recreate:
            retire(old)
            let oldLeft = replicas.contains { $0.isLive && $0.revision < revision }
            if !oldLeft && new.count < desired { for _ in new.count..<desired { addReplica() } }
        case .rollingUpdate:
            let (surge, unavailable) = spec.strategy.limits(desired: desired)
            let up = min(desired + surge - (new.count + old.count), desired - new.count)
            if up > 0 { for _ in 0..<up { addReplica() } }
            let available = (new + old).filter { replicas[$0].ready }.count
            retire(old.filter { !replicas[$0].ready })
            let oldReady = old.filter { replicas[$0].ready }
            let removable = min(max(available - (desired - unavailable), 0), oldReady.count)
            retire(Array(victimOrder(oldReady).prefix(removable)))
            if new.count > desired { retire(Array(victimOrder(new).prefix(new.count - desired))) }
        }
        let finishedNow = activeReplicas(revision: revision, older: true).isEmpty && !replicas.contains { $0.isLive && $0.revision < revision }
            && activeReplicas(revision: revision).filter { replicas[$0].ready }.count >= desired
        if finishedNow {
            rollingOut = false
            if let last = rollouts.indices.last { rollouts[last].end = clock }
        }
    }

    /// Deletes the pods of retired replicas that hold no request.
    func flushDeletes(_ sim: ControllerContext) {
        for pod in toDelete { sim.deletePod(pod, reason: "scaled down") }
        toDelete.removeAll()
    }

    /// Queues one more replica pod of the current revision.
    func addReplica() {
        var pod = spec.template
        pod.name = "\(name)-\(nextName)"
        nextName += 1
        pod.work = .forever
        var replica = Replica()
        replica.revision = revision
        replicas.append(replica)
        replicasChanged = true
        pendingNames[pod.name] = replicas.count - 1
        creator.want(pod, job: -1)
    }

    /// After cancelling queued creations, queues again those still wanted.
    func requeueWanted() {
        for (name, r) in pendingNames.sorted(by: { $0.value < $1.value }) {
            if replicas[r].gone { pendingNames[name] = nil; continue }
            var pod = spec.template
            pod.name = name
            pod.work = .forever
            creator.want(pod, job: -1)
        }
    }
}
