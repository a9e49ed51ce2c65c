import Foundation
import KFCluster
import KFControlPlane
import KFEngine

extension ClusterAutoscaler {
    /// One scale-up option: a group, how many new nodes, the pods they would take.
    struct Option {
        var group: String
        var nodes: Int
        var pods: [PodID]
    }

    /// Binpacks `pods` onto new nodes of each group that can grow (the binpacking estimator: pods by
    /// decreasing share of the template, each on the first new node with room), lets the expander pick
    /// one option and requests its nodes. Returns whether nodes were requested.
    func scaleUp(_ pods: [PodID], _ sim: ControllerContext) -> Bool {
        let c = sim.cluster
        var options: [Option] = []
        let liveTotal = c.liveNodes.count + upcoming.values.reduce(0, +)
        for (name, group) in c.nodeGroups.sorted(by: { $0.key < $1.key }) {
            let target = c.nodes(inGroup: name).count + (upcoming[name] ?? 0)
            var room = group.maxSize - target
            if spec.maxNodesTotal > 0 { room = min(room, spec.maxNodesTotal - liveTotal) }
            guard room > 0, (backoffUntil[name] ?? -1) <= sim.now else { continue }
            let t = group.template
            let fitting = pods.filter { sim.fitsNewNode($0, like: t) }
            func share(_ id: PodID) -> Double {
                let r = c.pods[Int(id)].resources.requests
                return Double(r.cpu) / Double(max(t.allocatable.cpu, 1)) + Double(r.memory) / Double(max(t.allocatable.memory, 1))
            }
            let ordered = fitting.sorted { (share($0), -$0) > (share($1), -$1) }
            var bins: [(free: Resources, slots: Int64)] = []
            var placed: [PodID] = []
            for id in ordered {
                let req = c.pods[Int(id)].resources.requests
                if let b = bins.indices.first(where: { bins[$0].slots > 0 && req.fits(in: bins[$0].free) }) {
                    bins[b].free = bins[b].free - req
                    bins[b].slots -= 1
                } else {
                    guard bins.count < room, req.fits(in: t.allocatable), t.maxPods > 0 else { continue }
                    bins.append((t.allocatable - req, t.maxPods - 1))
                }
                placed.append(id)
            }
            if !bins.isEmpty { options.append(Option(group: name, nodes: bins.count, pods: placed)) }
        }
        guard let choice = expand(options, sim) else { return false }
        upcoming[choice.group, default: 0] += choice.nodes
        scaleUps.append((sim.now, choice.group, choice.nodes))
        let delay = spec.provisioning[choice.group] ?? .constant(60)
        let failure = spec.provisioningFailure[choice.group] ?? 0
        for _ in 0..<choice.nodes {
            let d = Clock.micros(seconds: delay.sample(stream))
            if failure > 0, stream.uniform() < failure {
                timers.set(.giveUp(choice.group), at: sim.now + Clock.micros(seconds: spec.maxNodeProvisionTime), passive: false, in: sim)
            } else {
                timers.set(.join(choice.group), at: sim.now + max(d, 0), passive: false, in: sim)
            }
        }
        return true
    }

    /// The expander's choice: least-waste (lowest unused CPU share plus unused memory share of the new
    /// nodes), random, or priority (the highest priority whose pattern matches the group), ties drawn.
    func expand(_ options: [Option], _ sim: ControllerContext) -> Option? {
        guard !options.isEmpty else { return nil }
        var best = options
        switch spec.expander {
        case .random:
            break
        case .leastWaste:
            func waste(_ o: Option) -> Double {
                let t = sim.cluster.nodeGroups[o.group]!.template.allocatable
                let cpu = Double(t.cpu) * Double(o.nodes), mem = Double(t.memory) * Double(o.nodes)
                let used = o.pods.reduce(Resources.zero) { $0 + sim.cluster.pods[Int($1)].resources.requests }
                return (cpu > 0 ? (cpu - Double(used.cpu)) / cpu : 0) + (mem > 0 ? (mem - Double(used.memory)) / mem : 0)
            }
            let low = options.map(waste).min()!
            best = options.filter { waste($0) == low }
        case .priority:
            func priority(_ o: Option) -> Int? {
                spec.priorities.filter { entry in entry.patterns.contains { o.group.range(of: $0, options: .regularExpression) != nil } }
                    .map(\.priority).max()
            }
            let ranked = options.compactMap { o in priority(o).map { (o, $0) } }
            if let top = ranked.map(\.1).max() { best = ranked.filter { $0.1 == top }.map(\.0) }
        }
        return best.count == 1 ? best[0] : best[stream.uniformInt(below: best.count)]
    }

    /// Scale-down: nodes of groups above their minimum whose requested share (the larger of CPU and
    /// memory) is under the threshold and whose pods could all move to other nodes become unneeded;
    /// one unneeded longer than the unneeded time is tainted and, after the taint's delay, drained and
    /// deleted. Nothing is removed within the delay after a scale-up or a deletion.
    func scaleDown(_ sim: ControllerContext) {
        let c = sim.cluster
        var groupSize: [String: Int] = [:]
        for (name, _) in c.nodeGroups { groupSize[name] = c.nodes(inGroup: name).count - c.nodes(inGroup: name).filter(deleting.contains).count }
        var stillUnneeded: [Int32: SimTime] = [:]
        var destinationsUsed: [Int32: Resources] = [:], destinationPods: [Int32: Int64] = [:]
        var removedInPass = Set<Int32>()
        var budgetLeft = spec.budgets.map { $0.disruptionsAllowed(c) }
        for n in c.liveNodes where !deleting.contains(n) {
            guard let group = c.nodes[Int(n)].spec.nodeGroup, let g = c.nodeGroups[group], (groupSize[group] ?? 0) > g.minSize else { continue }
            let u = c.usage[Int(n)]
            let utilization = max(Double(u.requested.cpu) / Double(max(u.allocatable.cpu, 1)),
                                  Double(u.requested.memory) / Double(max(u.allocatable.memory, 1)))
            guard utilization < spec.utilizationThreshold else { continue }
            guard let moves = placements(for: n, avoiding: removedInPass, used: destinationsUsed, usedPods: destinationPods,
                                         budgets: &budgetLeft, sim) else { continue }
            for (dest, req) in moves {
                destinationsUsed[dest, default: .zero] = (destinationsUsed[dest] ?? .zero) + req
                destinationPods[dest, default: 0] += 1
            }
            removedInPass.insert(n)
            groupSize[group]! -= 1
            stillUnneeded[n] = unneededSince[n] ?? sim.now
        }
        unneededSince = stillUnneeded
        let cooldown = sim.now - lastScaleUp < Clock.micros(seconds: spec.delayAfterAdd)
            || sim.now - lastScaleDown < Clock.micros(seconds: spec.delayAfterDelete)
        guard !cooldown else { return }
        // One drain at a time (--max-drain-parallelism 1): the node unneeded longest, lowest index on ties.
        guard let (node, _) = unneededSince.filter({ $0.value + Clock.micros(seconds: spec.unneededTime) < sim.now })
            .min(by: { ($0.value, $0.key) < ($1.value, $1.key) }) else { return }
        deleting.insert(node)
        unneededSince[node] = nil
        sim.cordon(node, true)
        lastScaleDown = sim.now
        scaleDowns.append((sim.now, c.nodes[Int(node)].spec.name))
        timers.set(.delete(node), at: sim.now + Clock.micros(seconds: spec.deleteDelayAfterTaint), passive: false, in: sim)
    }

    /// Where the pods of node `n` would go (nil: some pod cannot move: it fits nowhere else, or its
    /// owner would not recreate it). Pods pinned to the node (a DaemonSet's) are not moved.
    func placements(for n: Int32, avoiding removed: Set<Int32>, used: [Int32: Resources], usedPods: [Int32: Int64],
                    budgets: inout [Int], _ sim: ControllerContext) -> [(Int32, Resources)]? {
        let c = sim.cluster
        var left = budgets
        let nodeName = c.nodes[Int(n)].spec.name
        var extra = used, extraPods = usedPods
        var moves: [(Int32, Resources)] = []
        for id in c.nodes[Int(n)].pods where !c.pods[Int(id)].phase.isTerminal {
            let pod = c.pods[Int(id)]
            if pod.spec.nodeSelector[WellKnownLabels.hostname] == nodeName { continue }
            // The drainability rules in upstream's order: safe-to-evict "true" moves the pod whatever
            // else holds; a pod no controller recreates, "false", or a budget with no disruption left blocks.
            if pod.spec.safeToEvict != true {
                guard isReplicated(pod, sim), pod.spec.safeToEvict != false else { return nil }
                for (b, budget) in spec.budgets.enumerated() where budget.namespace == pod.spec.namespace && budget.selector.matches(pod.spec.labels) {
                    guard left[b] >= 1 else { return nil }
                    left[b] -= 1
                }
            }
            let req = pod.resources.requests
            var dest: Int32?
            for m in c.liveNodes where m != n && !removed.contains(m) && !deleting.contains(m) && !c.usage[Int(m)].unschedulable {
                let u = c.usage[Int(m)]
                guard u.podCount + (extraPods[m] ?? 0) < u.maxPods, req.fits(in: u.free - (extra[m] ?? .zero)),
                      sim.passesFilters(id, onNode: m) else { continue }
                dest = m
                break
            }
            guard let d = dest else { return nil }
            extra[d, default: .zero] = (extra[d] ?? .zero) + req
            extraPods[d, default: 0] += 1
            moves.append((d, req))
        }
        budgets = left
        return moves
    }

    /// Whether the pod's owner is a controller the autoscaler accepts (ReplicaSet, Job, StatefulSet):
    /// Deployments' replicas and batch Jobs' pods move; bare pods, TFJob and Argo workflow pods (custom
    /// controllers, `--skip-nodes-with-custom-controller-pods`) block their node's removal.
    func isReplicated(_ pod: Pod, _ sim: ControllerContext) -> Bool {
        guard pod.owner.controller >= 0 else { return false }
        let owner = sim.owner(at: pod.owner.controller)
        return owner is ServiceController || owner is BatchJobController
    }
}
