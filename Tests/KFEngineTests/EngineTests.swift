import Testing
@testable import KFEngine

@Suite struct TimerTableTests {
    enum Wake: Equatable { case arrival, retry(Int) }

    @Test func aTimerFiresOnceWithItsPayload() {
        var t = TimerTable<Wake>()
        let a = t.add(.arrival), b = t.add(.retry(3))
        #expect(t.pendingCount == 2)
        #expect(t.take(b) == .retry(3))
        #expect(t.take(b) == nil)
        #expect(t.take(a) == .arrival)
        #expect(t.pendingCount == 0)
    }

    @Test func aCancelledTimerNeverFiresAndItsSlotIsReusedUnderANewGeneration() {
        var t = TimerTable<Wake>()
        let a = t.add(.arrival)
        t.cancel(a)
        #expect(!t.isPending(a))
        let b = t.add(.retry(1))
        #expect(b.slot == a.slot && b.generation != a.generation)
        #expect(t.take(a) == nil)
        #expect(t.take(b) == .retry(1))
    }
}

@Suite struct EngineTests {
    @Test func eventsComeOutByTimePhaseAndPushOrder() {
        let e = Engine<String>(policy: StopPolicy(horizon: nil, stallWindow: 100))
        e.schedule("b-sample", at: 5, phase: .sample, passive: true)
        e.schedule("a-arrival", at: 5, phase: .arrival, passive: false)
        e.schedule("c-release", at: 5, phase: .release, passive: false)
        e.schedule("d-first", at: 1, phase: .sample, passive: false)
        e.schedule("e-arrival-2", at: 5, phase: .arrival, passive: false)
        var seen: [String] = [], times: [SimTime] = []
        let reason = e.run(isFinished: { false }, willAdvance: { times.append($0) }, handle: { seen.append($0); e.noteProgress() })
        #expect(seen == ["d-first", "c-release", "a-arrival", "e-arrival-2", "b-sample"])
        #expect(times == [1, 5, 5, 5, 5])
        #expect(reason == .stalled)  // the queue ran dry before the owner said it was finished
    }

    @Test func theHorizonStopsTheClockThere() {
        let e = Engine<Int>(policy: StopPolicy(horizon: 10, stallWindow: 100))
        e.schedule(1, at: 4, phase: .arrival, passive: false)
        e.schedule(2, at: 11, phase: .arrival, passive: false)
        var seen: [Int] = []
        #expect(e.run(isFinished: { false }, willAdvance: { _ in }, handle: { seen.append($0) }) == .horizon)
        #expect(seen == [1] && e.now == 10)
    }

    @Test func onlyPassiveEventsWithoutProgressStallTheRun() {
        let e = Engine<Int>(policy: StopPolicy(horizon: nil, stallWindow: 30))
        // A retry every 10 µs, forever: passive, and nothing progresses.
        e.schedule(0, at: 0, phase: .arrival, passive: true)
        var count = 0
        let reason = e.run(isFinished: { false }, willAdvance: { _ in }, handle: { _ in
            count += 1
            e.schedule(0, at: e.now + 10, phase: .arrival, passive: true)
        })
        #expect(reason == .stalled && e.now == 30 && count == 4)
    }

    @Test func theOwnerFinishesTheRun() {
        let e = Engine<Int>(policy: StopPolicy(horizon: nil, stallWindow: 30))
        for t in 0..<5 { e.schedule(t, at: SimTime(t), phase: .arrival, passive: false) }
        var last = -1
        #expect(e.run(isFinished: { last == 2 }, willAdvance: { _ in }, handle: { last = $0 }) == .completed)
        #expect(e.activeEvents == 2)
    }
}
