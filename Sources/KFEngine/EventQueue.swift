import HeapModule

/// When, within one instant, an event is handled.
///
/// Everything due "now" is released and created before the scheduler looks, and sampling sees the
/// result of the whole instant.
public enum EventPhase: UInt8, Sendable, Comparable {
    /// Pod and step completions, node removals.
    case release = 0
    /// Arrivals and controller actions.
    case arrival = 1
    /// The scheduling cycle.
    case schedule = 2
    /// Metric sampling.
    case sample = 3

    public static func < (lhs: EventPhase, rhs: EventPhase) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// A priority queue of events ordered by `(time, phase, sequence)`.
///
/// `sequence` is a global insertion counter, so events of equal time and phase come out in the order
/// they were pushed; the order is total and therefore deterministic even though `Heap` is not stable.
public struct EventQueue<Payload> {
    @usableFromInline
    struct Entry: Comparable {
        @usableFromInline let time: SimTime
        /// The phase in the top byte, the sequence below: one comparison orders both.
        @usableFromInline let order: UInt64
        @usableFromInline let payload: Payload

        @inlinable
        init(time: SimTime, phase: EventPhase, sequence: UInt64, payload: Payload) {
            precondition(sequence < 1 << 56, "more than 2^56 events")
            self.time = time
            self.order = UInt64(phase.rawValue) << 56 | sequence
            self.payload = payload
        }

        @inlinable
        var phase: EventPhase { EventPhase(rawValue: UInt8(order >> 56))! }

        @inlinable
        static func < (lhs: Entry, rhs: Entry) -> Bool {
            lhs.time != rhs.time ? lhs.time < rhs.time : lhs.order < rhs.order
        }

        @inlinable
        static func == (lhs: Entry, rhs: Entry) -> Bool { lhs.order == rhs.order }
    }

    @usableFromInline var heap = Heap<Entry>()
    @usableFromInline var nextSequence: UInt64 = 0

    /// An empty queue.
    public init() {}

    /// The number of queued events (stale ones included).
    public var count: Int { heap.count }

    /// Whether no event is queued.
    public var isEmpty: Bool { heap.isEmpty }

    /// Queues `payload` at `time` in `phase`.
    /// - Complexity: O(log n)
    @inlinable
    public mutating func push(_ payload: Payload, at time: SimTime, phase: EventPhase) {
        heap.insert(Entry(time: time, phase: phase, sequence: nextSequence, payload: payload))
        nextSequence &+= 1
    }

    /// The time and phase of the next event, if any.
    @inlinable
    public var peekKey: (time: SimTime, phase: EventPhase)? {
        guard let min = heap.min else { return nil }
        return (min.time, min.phase)
    }

    /// Removes and returns the next event.
    /// - Complexity: O(log n)
    @inlinable
    public mutating func pop() -> (time: SimTime, phase: EventPhase, payload: Payload)? {
        guard let min = heap.popMin() else { return nil }
        return (min.time, min.phase, min.payload)
    }
}
