import KFCluster

/// Class totals remembered across cycles. When every scorer counting in a cycle reads only a node's
/// usage and the pod's requests (`ScorePlugin.scoresByRequests`), a class's weighted total is a pure
/// function of the class (its usage never changes: a node whose usage changes moves to another class),
/// the profile, the scorers counting and the pod's requests. A trace's pods come in a hundred shapes
/// and meet a few hundred classes, so a class is scored once per shape rather than once per cycle.
final class ClassScoreMemo {
    /// What a total depends on besides the class.
    struct Key: Hashable {
        let profile: ObjectIdentifier
        /// The profile's scorers counting in the cycle, as bits by position.
        let scorers: UInt64
        let requests: Resources
        let scoringRequests: Resources
    }

    /// The totals of each class by class id (`unknown` until scored), for one key.
    final class Entry {
        var totals: [Int64] = []
    }

    private var entries: [Key: Entry] = [:]
    /// Keys kept, and totals kept over all keys (beyond either, all are forgotten and scoring starts
    /// afresh: many shapes on a cluster of many classes cost at most 32 MB here).
    static let maxKeys = 1024, maxTotals = 4_000_000
    private(set) var kept = 0
    static let unknown = Int64.min
    /// Class totals computed and remembered ones used (for tests).
    var scored = 0, remembered = 0

    /// The last key asked for and its entry (consecutive cycles often share a pod shape).
    private var lastKey: Key?, lastEntry: Entry?

    /// The totals for `key`, at least `classes` long.
    func entry(_ key: Key, classes: Int) -> Entry {
        let e: Entry
        if let lastEntry, key == lastKey, lastEntry.totals.count >= classes { return lastEntry }
        defer {
            lastKey = key
            lastEntry = e
        }
        if let known = entries[key] {
            e = known
        } else {
            if entries.count >= Self.maxKeys { forget() }
            e = Entry()
            entries[key] = e
        }
        if e.totals.count < classes {
            let more = classes - e.totals.count
            if kept + more > Self.maxTotals {
                forget()
                entries[key] = e
                kept = e.totals.count
            }
            e.totals.append(contentsOf: repeatElement(Self.unknown, count: more))
            kept += more
        }
        return e
    }

    private func forget() {
        entries.removeAll()
        kept = 0
        lastKey = nil
        lastEntry = nil
    }
}

extension Scheduler {
    /// This cycle's class totals (`classTotals`, by representative) from the memo, scoring only the
    /// classes it does not know yet; `classes` are the representatives' classes.
    func addRememberedClassScores(_ key: ClassScoreMemo.Key, _ classes: [WindowClass], _ ctx: CycleContext) {
        let entry = scoreMemo.entry(key, classes: nodeClasses.ids.count)
        var known = entry.totals
        entry.totals = []
        let reps = nodeClasses.representatives
        var nodes = unscoredNodes, slots = unscoredSlots, partial = unscoredTotals, totals = classTotals
        classTotals = []
        defer { classTotals = totals }
        unscoredNodes = []
        unscoredSlots = []
        unscoredTotals = []
        nodes.removeAll(keepingCapacity: true)
        slots.removeAll(keepingCapacity: true)
        for j in classes.indices {
            let t = known[Int(classes[j].id)]
            if t == ClassScoreMemo.unknown {
                nodes.append(reps[j])
                slots.append(j)
            } else {
                totals[j] += t
            }
        }
        scoreMemo.remembered += classes.count - nodes.count
        if !nodes.isEmpty {
            partial.removeAll(keepingCapacity: true)
            partial.append(contentsOf: repeatElement(0, count: nodes.count))
            for (plugin, weight) in activeScorers { addWeightedScores(plugin, weight: weight, of: nodes, into: &partial, ctx) }
            for k in slots.indices {
                totals[slots[k]] += partial[k]
                known[Int(classes[slots[k]].id)] = partial[k]
            }
            scoreMemo.scored += nodes.count
        }
        entry.totals = known
        unscoredNodes = nodes
        unscoredSlots = slots
        unscoredTotals = partial
    }
}
