import KFEngine

/// A controller's typed timers: each controller declares an enum of what can wake it, and sets,
/// cancels and receives timers of that enum through this table (no integer tags, no shared versions).
public struct ControllerTimers<Payload> {
    private var table = TimerTable<Payload>()
    /// The owning controller's index in the simulation (set when it starts).
    public var owner: Int32 = -1

    /// No timers yet.
    public init() {}

    /// Timers set and not yet fired or cancelled.
    public var pendingCount: Int { table.pendingCount }

    /// Sets a timer that delivers `payload` at `time` (now, if earlier). Passive timers (retries,
    /// resyncs) do not keep a run alive.
    @discardableResult
    public mutating func set(_ payload: Payload, at time: SimTime, passive: Bool = false, in context: ControllerContext) -> Scheduled {
        let handle = table.add(payload)
        context.schedule(timer: handle, owner: owner, at: time, passive: passive)
        return handle
    }

    /// The payload of a timer firing now (nil when it was cancelled).
    public mutating func fired(_ handle: Scheduled) -> Payload? { table.take(handle) }

    /// Cancels a timer.
    public mutating func cancel(_ handle: Scheduled) { table.cancel(handle) }

    /// Whether `handle` is still to fire.
    public func isPending(_ handle: Scheduled) -> Bool { table.isPending(handle) }
}
