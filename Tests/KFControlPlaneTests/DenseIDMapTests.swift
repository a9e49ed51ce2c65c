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
}
