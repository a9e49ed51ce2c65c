import Testing
@testable import KFScheduler

/// Range queries on position bits against a plain set, over word boundaries and empty ranges.
@Suite struct PositionBitsTests {
    /// 200 positions (four words); members at hand-picked places.
    let members: Set<Int> = [0, 5, 63, 64, 65, 127, 128, 190, 199]

    func bits() -> (words: [UInt64], summary: [UInt64]) {
        var words = [UInt64](repeating: 0, count: 4), summary: [UInt64] = [0]
        for p in members {
            words[p >> 6] |= 1 << UInt64(p & 63)
            summary[0] |= 1 << UInt64(p >> 6)
        }
        return (words, summary)
    }

    @Test func firstCountAndNthAgreeWithASet() {
        let (words, summary) = bits()
        words.withUnsafeBufferPointer { w in
            summary.withUnsafeBufferPointer { s in
                for lo in stride(from: 0, through: 200, by: 7) {
                    for hi in stride(from: lo, through: 200, by: 11) {
                        let inRange = members.filter { $0 >= lo && $0 < hi }.sorted()
                        #expect(PositionBits.first(w, in: lo, hi) == inRange.first, "\(lo)..<\(hi)")
                        #expect(PositionBits.first(w, summary: s, in: lo, hi) == inRange.first, "\(lo)..<\(hi)")
                        #expect(PositionBits.count(w, in: lo, hi) == inRange.count)
                        #expect(PositionBits.count(w, summary: s, in: lo, hi) == inRange.count, "\(lo)..<\(hi)")
                        for n in 0...inRange.count {
                            let got = PositionBits.nth(w, offsets: [0], in: lo, hi, n)
                            #expect(got.position == (n < inRange.count ? inRange[n] : nil), "\(lo)..<\(hi) #\(n)")
                            if n == inRange.count { #expect(got.seen == inRange.count) }
                        }
                    }
                }
            }
        }
    }

    /// The n-th member of a union of rows (disjoint classes), in position order.
    @Test func nthOfAUnion() {
        // Row 0: 3, 70; row 1 (offset 2): 4, 66.
        let words: [UInt64] = [1 << 3, 1 << 6, 1 << 4, 1 << 2]
        words.withUnsafeBufferPointer { w in
            #expect(PositionBits.nth(w, offsets: [0, 2], in: 0, 128, 0).position == 3)
            #expect(PositionBits.nth(w, offsets: [0, 2], in: 0, 128, 1).position == 4)
            #expect(PositionBits.nth(w, offsets: [0, 2], in: 0, 128, 2).position == 66)
            #expect(PositionBits.nth(w, offsets: [0, 2], in: 0, 128, 3).position == 70)
            #expect(PositionBits.nth(w, offsets: [0, 2], in: 5, 128, 0).position == 66)
        }
    }

    /// A sparse row (words 1 and 3 empty): counting reads only the summary's words, and the search for
    /// the `wanted`-th member from a rotating start (wrapping) matches walking the positions in order.
    @Test func sparseCountAndSearchFromARotatingStart() {
        let total = 300
        let sparse: Set<Int> = [3, 40, 130, 140, 255, 299]
        var words = [UInt64](repeating: 0, count: 5), summary: [UInt64] = [0]
        for p in sparse {
            words[p >> 6] |= 1 << UInt64(p & 63)
            summary[0] |= 1 << UInt64(p >> 6)
        }
        words.withUnsafeBufferPointer { w in
            summary.withUnsafeBufferPointer { s in
                for lo in stride(from: 0, through: total, by: 13) {
                    for hi in stride(from: lo, through: total, by: 17) {
                        #expect(PositionBits.count(w, summary: s, in: lo, hi) == sparse.filter { $0 >= lo && $0 < hi }.count)
                    }
                }
                for start in [0, 3, 4, 131, 255, 299] {
                    for wanted in 1...8 {
                        // Walk positions start, start+1, ... (wrapping) until `wanted` members are seen.
                        var processed = total, found = 0
                        for k in 0..<total where sparse.contains((start + k) % total) {
                            found += 1
                            if found == wanted {
                                processed = k + 1
                                break
                            }
                        }
                        let got = PositionBits.search(w, from: start, total: total, wanted: wanted)
                        #expect(got.processed == processed && got.found == found, "start \(start), wanted \(wanted)")
                    }
                }
            }
        }
    }
}
