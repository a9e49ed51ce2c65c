/// Sets of node positions (in `liveNodes` order) as bits, 64 to a word, and the few range queries the
/// scheduler asks of them: the first member, how many, and the n-th member within a range, and where
/// kube-scheduler's search for a number of feasible nodes from a rotating start ends.
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

    /// How many members lie in `lo..<hi` of a row whose nonzero words are marked in `summary`: only
    /// those words are read.
    @inline(__always)
    static func count(_ bits: UnsafeBufferPointer<UInt64>, summary: UnsafeBufferPointer<UInt64>, in lo: Int, _ hi: Int) -> Int {
        guard lo < hi else { return 0 }
        let firstWord = lo >> 6, lastWord = (hi - 1) >> 6
        var n = 0
        for sw in (firstWord >> 6)...(lastWord >> 6) {
            var s = summary[sw]
            if sw == firstWord >> 6 { s &= ~UInt64(0) << UInt64(firstWord & 63) }
            if sw == lastWord >> 6 && lastWord & 63 < 63 { s &= (UInt64(1) << UInt64(lastWord & 63 + 1)) &- 1 }
            while s != 0 {
                let w = sw << 6 + s.trailingZeroBitCount
                n += (bits[w] & mask(word: w, lo, hi)).nonzeroBitCount
                s &= s &- 1
            }
        }
        return n
    }

    /// kube-scheduler's search for `wanted` feasible nodes from position `start` (wrapping) over `total`
    /// positions: how many positions are examined (up to the `wanted`-th member; all when fewer are
    /// members) and how many members were found.
    static func search(_ bits: UnsafeBufferPointer<UInt64>, from start: Int, total: Int, wanted: Int) -> (processed: Int, found: Int) {
        precondition(wanted >= 1, "a search wants at least one member")
        var found = 0
        // Positions start..<total, then 0..<start: the word holding the `wanted`-th member ends the search.
        for (lo, hi) in [(start, total), (0, start)] where lo < hi {
            for w in (lo >> 6)...((hi - 1) >> 6) {
                var b = bits[w] & mask(word: w, lo, hi)
                let c = b.nonzeroBitCount
                if found + c < wanted {
                    found += c
                    continue
                }
                for _ in 0..<(wanted - found - 1) { b &= b &- 1 }
                return ((w << 6 + b.trailingZeroBitCount - start + total) % total + 1, wanted)
            }
        }
        return (total, found)
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
