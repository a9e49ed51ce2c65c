import KFCluster

/// The nodes that passed filtering as the feasibility index found them: the positions where the
/// cycle's shape (`requests`) fits among the first `processed` positions from `start` (wrapping),
/// `count` of them. Window order is examination order: position `(start + o) % total` is the `o`-th
/// examined.
struct FeasibleWindow {
    /// The scheduler's index (it outlives every window; no reference is counted for it): a window, like
    /// the cycle context holding it, is not kept beyond its cycle.
    unowned(unsafe) let index: FeasibilityIndex
    let requests: Resources
    let start: Int
    let processed: Int
    let count: Int
    let total: Int

    /// The positions of window orders `a..<b`, as at most two ascending ranges (the second after wrapping).
    @inline(__always)
    func positions(from a: Int, to b: Int) -> (Range<Int>, Range<Int>) {
        let lo = start + a, hi = start + b
        if hi <= total { return (lo..<hi, 0..<0) }
        if lo >= total { return ((lo - total)..<(hi - total), 0..<0) }
        return (lo..<total, 0..<(hi - total))
    }

    /// The window order of position `p`.
    @inline(__always)
    func order(of p: Int) -> Int { p >= start ? p - start : p + total - start }

    /// The feasible nodes in examination order (the shape's fits, synced, as filtering saw them: the
    /// cluster does not change within a cycle).
    func list(_ cluster: ClusterState, into out: inout [Int32]) {
        let live = cluster.liveNodes
        let (a, b) = positions(from: 0, to: processed)
        index.shape(requests, cluster).fits.withUnsafeBufferPointer { fits in
            for r in [a, b] where !r.isEmpty {
                for w in (r.lowerBound >> 6)...((r.upperBound - 1) >> 6) {
                    var bits = fits[w] & PositionBits.mask(word: w, r.lowerBound, r.upperBound)
                    while bits != 0 {
                        out.append(live[w << 6 + bits.trailingZeroBitCount])
                        bits &= bits &- 1
                    }
                }
            }
        }
    }
}
