import Testing
@testable import KFEngine

@Suite struct EventQueueTests {
    @Test func ordersByTimeThenPhaseThenInsertion() {
        var q = EventQueue<String>()
        q.push("sample@5", at: 5, phase: .sample)
        q.push("schedule@5", at: 5, phase: .schedule)
        q.push("arrival@5-a", at: 5, phase: .arrival)
        q.push("release@5", at: 5, phase: .release)
        q.push("arrival@5-b", at: 5, phase: .arrival)
        q.push("release@1", at: 1, phase: .release)
        q.push("sample@0", at: 0, phase: .sample)
        var out: [String] = []
        while let e = q.pop() { out.append(e.payload) }
        #expect(out == ["sample@0", "release@1", "release@5", "arrival@5-a", "arrival@5-b", "schedule@5", "sample@5"])
    }

    @Test func manySameInstantEventsKeepInsertionOrder() {
        var q = EventQueue<Int>()
        for i in 0..<1000 { q.push(i, at: 42, phase: .arrival) }
        var last = -1
        while let e = q.pop() {
            #expect(e.payload == last + 1)
            last = e.payload
        }
        #expect(last == 999)
    }

    @Test func secondsRoundOnceToMicroseconds() {
        #expect(Clock.micros(seconds: 1.5) == 1_500_000)
        #expect(Clock.micros(seconds: 0.0000004) == 0)
        #expect(Clock.micros(seconds: 0.0000005) == 1)
        #expect(Clock.seconds(2_500_000) == 2.5)
    }
}
