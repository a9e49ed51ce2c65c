import KFCluster

/// Sets of node positions (in `liveNodes` order) as bits, 64 to a word, and the few range queries the
/// scheduler asks of them: the first member, how many, and the n-th member within a range.
enum PositionBits {
    /// The word mask of positions `lo..<hi` within word `w`.
    @inline(__always)
    static func mask(word w: Int, _ lo: Int, _ hi: Int) -> UInt64 {
        let first = w << 6
        var m = ~UInt64(0)
        if lo > first { m &= ~UInt64(0) << UInt64(lo - first) }
        if hi < first + 64 { m &= (UInt64(1) << UInt64(hi - first)) &- 1 }
        return m
    }

    /// The lowest member in `lo..<hi`, or nil.
    @inline(__always)
    static func first(_ bits: UnsafeBufferPointer<UInt64>, in lo: Int, _ hi: Int) -> Int? {
        guard lo < hi else { return nil }
        for w in (lo >> 6)...((hi - 1) >> 6) {
            let b = bits[w] & mask(word: w, lo, hi)
            if b != 0 { return w << 6 + b.trailingZeroBitCount }
        }
        return nil
    }

    /// The lowest member in `lo..<hi` of a row whose nonzero words are marked in `summary` (bit `w` of
    /// the summary: word `w` has members): past the first word, the summary skips to the next one.
    @inline(__always)
    static func first(_ bits: UnsafeBufferPointer<UInt64>, summary: UnsafeBufferPointer<UInt64>, in lo: Int, _ hi: Int) -> Int? {
        guard lo < hi else { return nil }
        let lastWord = (hi - 1) >> 6
        var w = lo >> 6
        let b = bits[w] & mask(word: w, lo, hi)
        if b != 0 { return w << 6 + b.trailingZeroBitCount }
        w += 1
        while w <= lastWord {
            let s = summary[w >> 6] & (~UInt64(0) << UInt64(w & 63))
            if s != 0 {
                let next = (w & ~63) + s.trailingZeroBitCount
                guard next <= lastWord else { return nil }
                let b = bits[next] & mask(word: next, lo, hi)
                return b != 0 ? next << 6 + b.trailingZeroBitCount : nil
            }
            w = (w & ~63) + 64
        }
        return nil
    }

    /// How many members lie in `lo..<hi`.
    @inline(__always)
    static func count(_ bits: UnsafeBufferPointer<UInt64>, in lo: Int, _ hi: Int) -> Int {
        guard lo < hi else { return 0 }
        var n = 0
        for w in (lo >> 6)...((hi - 1) >> 6) { n += (bits[w] & mask(word: w, lo, hi)).nonzeroBitCount }
        return n
    }

    /// The `n`-th (from 0) member in `lo..<hi` of the union of the rows starting at `offsets`: its
    /// position, or nil and how many members the range held.
    static func nth(_ bits: UnsafeBufferPointer<UInt64>, offsets: [Int], in lo: Int, _ hi: Int, _ n: Int) -> (position: Int?, seen: Int) {
        guard lo < hi else { return (nil, 0) }
        var left = n
        for w in (lo >> 6)...((hi - 1) >> 6) {
            var b: UInt64 = 0
            for o in offsets { b |= bits[o + w] }
            b &= mask(word: w, lo, hi)
            let c = b.nonzeroBitCount
            if left < c {
                for _ in 0..<left { b &= b &- 1 }
                return (w << 6 + b.trailingZeroBitCount, n)
            }
            left -= c
        }
        return (nil, n - left)
    }
}

/// The nodes that passed filtering as the feasibility index found them: the positions where the
/// cycle's shape (`requests`) fits among the first `processed` positions from `start` (wrapping),
/// `count` of them. Window order is examination order: position `(start + o) % total` is the `o`-th
/// examined.
struct FeasibleWindow {
    let index: FeasibilityIndex
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
