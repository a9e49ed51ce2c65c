import Testing
@testable import KFControlPlane

/// `DenseIDMap` behaves as a dictionary from ids to non-negative values.
@Suite struct DenseIDMapTests {
    @Test func behavesAsADictionary() {
        var map = DenseIDMap()
        var reference: [Int32: Int32] = [:]
        var x: UInt64 = 7
        for _ in 0..<5000 {
            x = x &* 6364136223846793005 &+ 1442695040888963407
            let id = Int32((x >> 33) % 300), value = Int32((x >> 20) % 1000)
            switch (x >> 12) % 3 {
            case 0:
                map[id] = value
                reference[id] = value
            case 1:
                #expect(map.removeValue(forKey: id) == reference.removeValue(forKey: id))
            default:
                #expect(map[id] == reference[id])
            }
        }
        for id in Int32(0)..<Int32(400) { #expect(map[id] == reference[id]) }
        #expect(map[-1] == nil)
    }

    /// Ids handed out in increasing order and released roughly in order: the array stays as short as
    /// the span of ids held, and lookups stay right after the front is dropped.
    @Test func staysShortWhenEntriesEndInOrder() {
        var map = DenseIDMap()
        var held: [Int32] = []
        var missing = 0
        for id in Int32(0)..<200_000 {
            map[id] = id % 7
            held.append(id)
            if held.count > 50 && map.removeValue(forKey: held.removeFirst()) == nil { missing += 1 }
        }
        #expect(missing == 0)
        #expect(held.allSatisfy { map[$0] == $0 % 7 })
        #expect(map[1000] == nil && map[199_949] == nil && map[199_950] == 199_950 % 7)
        #expect(map.storedCount < 5000, "\(map.storedCount)")
        // An older id than any held widens the front.
        map[10] = 3
        #expect(map[10] == 3 && map[199_999] == 199_999 % 7)
    }
}
