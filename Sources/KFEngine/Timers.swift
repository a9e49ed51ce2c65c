/// A handle on one scheduled timer: which slot of its owner's `TimerTable` and which use of it.
///
/// A handle fires at most once; a cancelled or already fired handle never fires again, even though its
/// entry may still be in the event queue (the queue drops entries lazily).
public struct Scheduled: Hashable, Sendable, CustomStringConvertible {
    /// Slot in the owner's table.
    public let slot: Int32
    /// Use of the slot this handle names.
    public let generation: UInt32

    @inlinable
    init(slot: Int32, generation: UInt32) {
        self.slot = slot
        self.generation = generation
    }

    public var description: String { "timer \(slot).\(generation)" }
}

/// One owner's timers with typed payloads (an owner declares an enum of what can wake it).
///
/// `add` stores a payload and returns its handle; the owner puts the handle in the event queue; when it
/// comes out, `take` returns the payload once, or nil if the timer was cancelled or replaced. Slots are
/// reused, so the table stays as small as the number of timers pending at once.
public struct TimerTable<Payload> {
    @usableFromInline var payloads: [Payload?] = []
    @usableFromInline var generations: [UInt32] = []
    @usableFromInline var free: [Int32] = []

    /// An empty table.
    public init() {}

    /// Timers scheduled and neither fired nor cancelled.
    public var pendingCount: Int { payloads.count - free.count }

    /// Stores `payload`; returns the handle that fires it.
    @inlinable
    public mutating func add(_ payload: Payload) -> Scheduled {
        if let slot = free.popLast() {
            payloads[Int(slot)] = payload
            return Scheduled(slot: slot, generation: generations[Int(slot)])
        }
        payloads.append(payload)
        generations.append(0)
        return Scheduled(slot: Int32(payloads.count - 1), generation: 0)
    }

    /// Whether `handle` is still to fire.
    @inlinable
    public func isPending(_ handle: Scheduled) -> Bool {
        let s = Int(handle.slot)
        return s < payloads.count && generations[s] == handle.generation && payloads[s] != nil
    }

    /// The payload of a handle that fires now (nil when it was cancelled or has fired already).
    @inlinable
    public mutating func take(_ handle: Scheduled) -> Payload? {
        guard isPending(handle) else { return nil }
        let s = Int(handle.slot)
        let payload = payloads[s]
        release(s)
        return payload
    }

    /// Cancels `handle` (nothing happens if it already fired or was cancelled).
    @inlinable
    public mutating func cancel(_ handle: Scheduled) {
        guard isPending(handle) else { return }
        release(Int(handle.slot))
    }

    @inlinable
    mutating func release(_ s: Int) {
        payloads[s] = nil
        generations[s] &+= 1
        free.append(Int32(s))
    }
}
