import KFCluster

/// Nodes in the same state (the same allocatable, requests, pod count, flags and images) score the same
/// under plugins whose score of a node reads only that state (`ScorePlugin.scoresByNodeState`): such a
/// plugin scores one node of each class in a cycle and the others copy its score, before normalising.
/// Classes are kept from the cluster's log of usage changes (and image pulls).
final class NodeClasses {
    struct Key: Hashable {
        let usage: NodeUsage
        let images: [UInt64]

        /// The fields folded into one word by multiply-and-xor, then hashed once (hashing each of the
        /// dozen fields costs more than the lookup it serves; equality still compares them all).
        func hash(into hasher: inout Hasher) {
            var x: UInt64 = 0
            @inline(__always) func mix(_ v: Int64) { x = (x ^ UInt64(bitPattern: v)) &* 0x9E37_79B9_7F4A_7C15 }
            @inline(__always) func mix(_ r: Resources) {
                mix(r.cpu)
                mix(r.memory)
                mix(r.gpu)
            }
            mix(usage.allocatable)
            mix(usage.requested)
            mix(usage.scoringRequested)
            mix(usage.podCount)
            mix(usage.maxPods)
            mix((usage.unschedulable ? 1 : 0) | (usage.hasTaints ? 2 : 0))
            for w in images { mix(Int64(bitPattern: w)) }
            hasher.combine(x)
        }
    }

    var ids: [Key: Int32] = [:]
    /// Each node's class (-1: not known yet).
    var classOf: [Int32] = []
    /// Members: each live node's position in `liveNodes` (-1: not live; the feasibility index's, shared),
    /// and per class its member count and its members as position bits (`PositionBits`), a row of
    /// `words` words in `rows` (rows only for classes with members; a class that empties gives its row back).
    var position: [Int32] = []
    var words = 0
    var members: [Int32] = [], rowOf: [Int32] = []
    var rows: [UInt64] = [], freeRows: [Int32] = []
    /// Per row, which of its words have members (`summaryWords` words a row, in `summaries`).
    var summaries: [UInt64] = [], summaryWords = 0
    /// The classes with members, and each class's index there (-1: none).
    var occupied: [Int32] = [], occupiedIndex: [Int32] = []
    /// Each class's room as NodeResourcesFit checks it: pods left, free cpu, memory and GPUs
    /// (`NodeResourcesFit.room`, against `need`: the same verdict as `fitCode`).
    var roomOf: [SIMD4<Int64>] = []
    var synced = 0
    var epoch = -1
    /// Per class: the cycle it was last seen in, and its slot among that cycle's representatives.
    var stamp: [Int] = [], slot: [Int32] = []
    var cycle = 0
    /// This cycle's representatives and each feasible node's slot.
    var representatives: [Int32] = [], nodeSlot: [Int32] = []

    func key(_ cluster: ClusterState, _ n: Int) -> Key {
        let w = cluster.imageWords
        return Key(usage: cluster.usage[n], images: w == 0 ? [] : Array(cluster.nodeImageBits[n * w ..< (n + 1) * w]))
    }

    func assign(_ cluster: ClusterState, _ n: Int) {
        let k = key(cluster, n)
        let id: Int32
        if let known = ids[k] {
            id = known
        } else {
            id = Int32(ids.count)
            ids[k] = id
            stamp.append(-1)
            slot.append(0)
            members.append(0)
            rowOf.append(-1)
            occupiedIndex.append(-1)
            roomOf.append(NodeResourcesFit.room(k.usage))
        }
        let old = classOf[n]
        guard old != id else { return }
        classOf[n] = id
        let p = Int(position[n])
        guard p >= 0 else { return }
        if old >= 0 { leave(Int(old), p) }
        join(Int(id), p)
    }

    private func join(_ c: Int, _ p: Int) {
        if members[c] == 0 {
            let row: Int32
            if let free = freeRows.popLast() {
                row = free
            } else {
                row = Int32(rows.count / max(words, 1))
                rows.append(contentsOf: repeatElement(0, count: words))
                summaries.append(contentsOf: repeatElement(0, count: summaryWords))
            }
            rowOf[c] = row
            occupiedIndex[c] = Int32(occupied.count)
            occupied.append(Int32(c))
        }
        members[c] += 1
        let row = Int(rowOf[c]), w = p >> 6
        rows[row * words + w] |= 1 << UInt64(p & 63)
        summaries[row * summaryWords + w >> 6] |= 1 << UInt64(w & 63)
    }

    private func leave(_ c: Int, _ p: Int) {
        let row = Int(rowOf[c]), w = p >> 6
        rows[row * words + w] &= ~(1 << UInt64(p & 63))
        if rows[row * words + w] == 0 { summaries[row * summaryWords + w >> 6] &= ~(1 << UInt64(w & 63)) }
        members[c] -= 1
        guard members[c] == 0 else { return }
        freeRows.append(rowOf[c])
        rowOf[c] = -1
        let i = Int(occupiedIndex[c]), last = occupied.removeLast()
        if Int(last) != c {
            occupied[i] = last
            occupiedIndex[Int(last)] = Int32(i)
        }
        occupiedIndex[c] = -1
    }

    /// Brings every live node's class up to date; `position` gives each live node's position in
    /// `liveNodes` at node epoch `now`.
    func sync(_ cluster: ClusterState, epoch now: Int, position: [Int32]) {
        if epoch != now || classOf.count != cluster.nodes.count {
            epoch = now
            classOf = Array(repeating: -1, count: cluster.nodes.count)
            self.position = position
            words = (cluster.liveNodes.count + 63) / 64
            summaryWords = (words + 63) / 64
            summaries = []
            rows = []
            freeRows = []
            occupied = []
            for c in members.indices {
                members[c] = 0
                rowOf[c] = -1
                occupiedIndex[c] = -1
            }
            for n in cluster.liveNodes { assign(cluster, Int(n)) }
            synced = cluster.usageLog.count
            return
        }
        let log = cluster.usageLog
        guard synced < log.count else { return }
        for k in synced..<log.count where Int(log[k]) < classOf.count { assign(cluster, Int(log[k])) }
        synced = log.count
    }

    /// The representatives of the classes among `feasible` (one node per class, in order of first
    /// appearance); `slot` then gives each class's position among them for this cycle.
    func collectRepresentatives(_ feasible: [Int32]) {
        cycle += 1
        let cycle = self.cycle
        var reps = representatives
        representatives = []
        reps.removeAll(keepingCapacity: true)
        classOf.withUnsafeBufferPointer { classOf in
            stamp.withUnsafeMutableBufferPointer { stamp in
                slot.withUnsafeMutableBufferPointer { slot in
                    for n in feasible {
                        let c = Int(classOf[Int(n)])
                        if stamp[c] != cycle {
                            stamp[c] = cycle
                            slot[c] = Int32(reps.count)
                            reps.append(n)
                        }
                    }
                }
            }
        }
        representatives = reps
    }

    /// Each feasible node's slot among this cycle's representatives (after `collectRepresentatives`).
    func assignSlots(_ feasible: [Int32]) {
        var slots = nodeSlot
        nodeSlot = []
        slots.removeAll(keepingCapacity: true)
        slots.reserveCapacity(feasible.count)
        for n in feasible { slots.append(slot[Int(classOf[Int(n)])]) }
        nodeSlot = slots
    }
}

extension Scheduler {
    /// Whether this cycle may score by node class: some scorer reads only node state, and the node
    /// classes are kept (the retry shortcuts are on and no scores are recorded).
    func groupByNodeClass(_ profile: Profile, _ ctx: CycleContext) -> Bool {
        guard classScoringAllowed(profile), ctx.feasible.count > 1 else { return false }
        collectRepresentatives(ctx.feasible)
        nodeClasses.assignSlots(ctx.feasible)
        return nodeClasses.representatives.count < ctx.feasible.count
    }

    /// Scores a cycle by class alone when every scorer that is not constant this cycle reads only node
    /// state: the classes' totals are computed once each, then one pass over the feasible nodes, in
    /// order, picks the best as `score` would (same ties, same draws from the tie-break stream). Nil when
    /// this cycle must score node by node.
    func scoreByClassOnly(_ profile: Profile, _ ctx: CycleContext) -> Int32? {
        guard classScoringAllowed(profile), ctx.feasibleCount > 1 else { return nil }
        let scorers = profile.scorers
        var byRequests = scorers.count <= 64, mask: UInt64 = 0
        for i in scorers.indices {
            let plugin = scorers[i].plugin
            guard !plugin.isConstant(ctx) else { continue }
            if i < 64 {
                mask |= 1 << UInt64(i)
            } else {
                guard plugin.scoresByNodeState else { return nil }
            }
        }
        // Every scorer counting reads only node state (the profile's bits, known when it was built).
        guard mask & ~profile.nodeStateScorers == 0 else { return nil }
        if mask & ~profile.requestScorers != 0 { byRequests = false }
        // The list of scorers counting is kept while the profile and the set are those of the last cycle.
        if profile !== activeProfile || mask != activeMask || scorers.count > 64 {
            activeScorers.removeAll(keepingCapacity: true)
            for i in scorers.indices where i < 64 ? mask & (1 << UInt64(i)) != 0 : !scorers[i].plugin.isConstant(ctx) {
                activeScorers.append((scorers[i].plugin, scorers[i].weight))
            }
            activeProfile = scorers.count <= 64 ? profile : nil
            activeMask = mask
        }
        classOnlyCycles += 1
        if let window = ctx.window {
            let memo = byRequests ? ClassScoreMemo.Key(profile: ObjectIdentifier(profile), scorers: mask, requests: ctx.requests,
                                                      scoringRequests: ctx.scoringRequests) : nil
            return selectByClass(window, ctx, remembering: memo)
        }
        let feasible = ctx.feasible
        collectRepresentatives(feasible)
        resetClassTotals()
        for (plugin, weight) in activeScorers { addClassScores(plugin, weight: weight, ctx) }
        // Each feasible node's total, read through its class: one pass, as `score`'s would be.
        let classOf = nodeClasses.classOf, slot = nodeClasses.slot, totals = classTotals
        let best = feasible.withUnsafeBufferPointer { f in
            classOf.withUnsafeBufferPointer { classOf in
                slot.withUnsafeBufferPointer { slot in
                    totals.withUnsafeBufferPointer { t in selectHost(f) { t[Int(slot[Int(classOf[Int(f[$0])])])] } }
                }
            }
        }
        return feasible[best]
    }

    /// Whether cycles of `profile` may score by node class: some scorer reads only node state, the
    /// classes are kept (retry shortcuts on) and no scores are recorded node by node.
    func classScoringAllowed(_ profile: Profile) -> Bool {
        configuration.retryShortcuts && !recordScores && profile.scoresByNodeState
    }

    /// This cycle's class representatives.
    func collectRepresentatives(_ feasible: [Int32]) {
        syncNodeClasses()
        nodeClasses.collectRepresentatives(feasible)
    }

    /// The occupied classes whose usage NodeResourcesFit admits the cycle's pod on (the index's verdict,
    /// class by class), synced and listed once per cycle.
    func fittingClasses(_ ctx: CycleContext) -> [Int32] {
        guard fittingCycle != cycles else { return fitting }
        syncNodeClasses()
        var out = fitting
        fitting = []
        out.removeAll(keepingCapacity: true)
        let need = NodeResourcesFit.need(ctx.requests)
        nodeClasses.roomOf.withUnsafeBufferPointer { roomOf in
            for c in nodeClasses.occupied where all(need .<= roomOf[Int(c)]) { out.append(c) }
        }
        fitting = out
        fittingCycle = cycles
        return out
    }

    /// Brings the node classes up to date (the cluster logs usage changes from the first use on).
    func syncNodeClasses() {
        if !cluster.logsUsageChanges { cluster.logsUsageChanges = true }
        feasibility.refresh(cluster, epoch: cluster.nodeVersion)
        nodeClasses.sync(cluster, epoch: cluster.nodeVersion, position: feasibility.position)
    }

    func resetClassTotals() {
        classTotals.removeAll(keepingCapacity: true)
        classTotals.append(contentsOf: repeatElement(0, count: nodeClasses.representatives.count))
    }

    /// A by-state plugin's weighted scores of the classes (representatives) of this cycle.
    func addClassScores(_ plugin: ScorePlugin, weight: Int64, _ ctx: CycleContext) {
        addWeightedScores(plugin, weight: weight, of: nodeClasses.representatives, into: &classTotals, ctx)
    }

    /// Adds a by-state plugin's weighted raw scores of `nodes` to `totals` (by position).
    func addWeightedScores(_ plugin: ScorePlugin, weight: Int64, of nodes: [Int32], into totals: inout [Int64], _ ctx: CycleContext) {
        representativeScores.removeAll(keepingCapacity: true)
        plugin.scoreAll(ctx, nodes: nodes, into: &representativeScores)
        for j in representativeScores.indices { totals[j] += representativeScores[j] * weight }
    }

    /// Each feasible node's total gains its class's.
    func addClassTotals() {
        let slots = nodeClasses.nodeSlot
        totals.withUnsafeMutableBufferPointer { t in
            classTotals.withUnsafeBufferPointer { c in
                slots.withUnsafeBufferPointer { slots in
                    for i in 0..<slots.count { t[i] += c[Int(slots[i])] }
                }
            }
        }
    }
}
