import KFCluster

/// Selection by node class over the feasibility index's window: when every scorer that counts in a
/// cycle reads only node state, the cycle needs no pass over the nodes. Each class with members in the
/// window is scored once (through one representative), and kube-scheduler's selectHost is replayed on
/// the classes' member bits:
///
/// - ties to the first node: the lowest node index among the best classes' members in the window
///   (`liveNodes` is in index order, so the lowest position);
/// - ties at random (reservoir sampling, one draw at every node that ties the running maximum): the
///   running maximum rises at the first member of each better class in examination order; between two
///   rises, the nodes of the current best level each draw once, so the draws are counted per segment
///   and made in order, and the winner is the drawn member of the last segment.
///
/// Class totals come from `ClassScoreMemo` when the scorers allow (`memo`), else are scored here. Same
/// node and same draws from the tie-break stream as `selectHost` over the listed nodes
/// (`FeasibilityIndexTests` compares whole runs with node-by-node scheduling).
extension Scheduler {
    func selectByClass(_ window: FeasibleWindow, _ ctx: CycleContext, remembering memo: ClassScoreMemo.Key?) -> Int32 {
        classSelections += 1
        let fitting = fittingClasses(ctx)
        let classes = nodeClasses
        // The window's classes: the pod fits all of a class's members or none (`fittingClasses`, which
        // also syncs the classes); the first member in examination order is the class's representative.
        var reps = classes.representatives, inWindow = windowClasses
        classes.representatives = []
        windowClasses = []
        reps.removeAll(keepingCapacity: true)
        inWindow.removeAll(keepingCapacity: true)
        let (a, b) = window.positions(from: 0, to: window.processed)
        classes.withBits { bits in
            cluster.liveNodes.withUnsafeBufferPointer { live in
                for c in fitting {
                    let r = Int(classes.rowOf[Int(c)])
                    let row = bits.row(r), summary = bits.summary(r)
                    guard let p = PositionBits.first(row, summary: summary, in: a.lowerBound, a.upperBound)
                            ?? PositionBits.first(row, summary: summary, in: b.lowerBound, b.upperBound) else { continue }
                    reps.append(live[p])
                    inWindow.append(WindowClass(id: c, row: r, first: window.order(of: p)))
                }
            }
        }
        classes.representatives = reps
        resetClassTotals()
        if let memo {
            addRememberedClassScores(memo, inWindow, ctx)
        } else {
            for (plugin, weight) in activeScorers { addClassScores(plugin, weight: weight, ctx) }
        }
        let totals = classTotals
        let chosen = classes.withBits { bits in
            switch configuration.tieBreak {
            case .first: return firstOfBest(window, bits, inWindow, totals)
            case .random: return drawAmongBest(window, bits, inWindow, totals)
            }
        }
        windowClasses = inWindow
        return chosen
    }

    /// Ties to the lowest index: the lowest window position among the best classes' members (positions
    /// before the rotating start come first when the window wraps).
    private func firstOfBest(_ window: FeasibleWindow, _ bits: ClassBits, _ inWindow: [WindowClass], _ totals: [Int64]) -> Int32 {
        let best = totals.max()!
        let (a, b) = window.positions(from: 0, to: window.processed)
        var lowest = Int.max
        for j in totals.indices where totals[j] == best {
            let row = bits.row(inWindow[j].row), summary = bits.summary(inWindow[j].row)
            if let p = PositionBits.first(row, summary: summary, in: b.lowerBound, b.upperBound)
                ?? PositionBits.first(row, summary: summary, in: a.lowerBound, a.upperBound) {
                lowest = min(lowest, p)
            }
        }
        return cluster.liveNodes[lowest]
    }

    /// Reservoir sampling over the window in examination order, segment by segment.
    private func drawAmongBest(_ window: FeasibleWindow, _ bits: ClassBits, _ inWindow: [WindowClass], _ totals: [Int64]) -> Int32 {
        let stream = tieStream
        var atLevel = levelRows
        levelRows = []
        defer { levelRows = atLevel }
        // The first examined node sets the running maximum.
        var firstClass = 0
        for j in inWindow.indices where inWindow[j].first < inWindow[firstClass].first { firstClass = j }
        var from = inWindow[firstClass].first
        var level = totals[firstClass]
        while true {
            // The next rise: the first member of a better class (all its members come later).
            var next = window.processed, nextLevel = level
            for j in totals.indices where totals[j] > level && inWindow[j].first < next {
                next = inWindow[j].first
                nextLevel = totals[j]
            }
            // The nodes at this level from here to the rise: the first holds, each later one draws.
            let (a, b) = window.positions(from: from, to: next)
            atLevel.removeAll(keepingCapacity: true)
            var count = 0
            for j in totals.indices where totals[j] == level {
                let r = inWindow[j].row, row = bits.row(r), summary = bits.summary(r)
                count += PositionBits.count(row, summary: summary, in: a.lowerBound, a.upperBound)
                    + PositionBits.count(row, summary: summary, in: b.lowerBound, b.upperBound)
                atLevel.append(r * bits.words)
            }
            // Ties 2...count each draw; the last draw of 0 picks its node.
            let pick = (stream.lastZeroDraw(from: 2, through: count) ?? 1) - 1
            if next == window.processed {
                let first = PositionBits.nth(bits.rows, offsets: atLevel, in: a.lowerBound, a.upperBound, pick)
                let p = first.position ?? PositionBits.nth(bits.rows, offsets: atLevel, in: b.lowerBound, b.upperBound, pick - first.seen).position!
                return cluster.liveNodes[p]
            }
            from = next
            level = nextLevel
        }
    }
}

/// A class with members in a cycle's window: its id, its row of member bits (`NodeClasses.rowOf`) and
/// the window order of its first member (the representative's).
struct WindowClass {
    let id: Int32
    let row: Int
    let first: Int
}

/// The node classes' member bits as one selection reads them: row `r` is `words` words at `r * words`,
/// its summary `summaryWords` words at `r * summaryWords` (`NodeClasses`).
struct ClassBits {
    let rows: UnsafeBufferPointer<UInt64>
    let words: Int
    let summaries: UnsafeBufferPointer<UInt64>
    let summaryWords: Int

    @inline(__always)
    func row(_ r: Int) -> UnsafeBufferPointer<UInt64> { UnsafeBufferPointer(rebasing: rows[r * words..<(r + 1) * words]) }

    @inline(__always)
    func summary(_ r: Int) -> UnsafeBufferPointer<UInt64> {
        UnsafeBufferPointer(rebasing: summaries[r * summaryWords..<(r + 1) * summaryWords])
    }
}

extension NodeClasses {
    /// Calls `body` with the member bits as `ClassBits`.
    @inline(__always)
    func withBits<R>(_ body: (ClassBits) -> R) -> R {
        rows.withUnsafeBufferPointer { rows in
            summaries.withUnsafeBufferPointer { summaries in
                body(ClassBits(rows: rows, words: words, summaries: summaries, summaryWords: summaryWords))
            }
        }
    }
}
