/// Why a run ended.
public enum StopReason: String, Sendable {
    /// Every job finished.
    case completed
    /// The horizon was reached.
    case horizon
    /// Nothing but retries happened for the stall window: the rest can never run.
    case stalled
    /// The run handled its event budget (`--max-events`) and was cut short.
    case eventLimit
}

/// When a run stops before its events run out.
public struct StopPolicy: Equatable, Sendable {
    /// Stop at this time (nil: no horizon).
    public var horizon: SimTime?
    /// Stop when, with no active event queued, nothing has progressed for this long.
    public var stallWindow: SimTime
    /// Stop after this many events (nil: no budget).
    public var maxEvents: Int?

    /// A policy.
    public init(horizon: SimTime?, stallWindow: SimTime, maxEvents: Int? = nil) {
        self.horizon = horizon
        self.stallWindow = stallWindow
        self.maxEvents = maxEvents
    }
}

/// The discrete-event engine: the clock, the event queue and the stop policy, nothing else.
///
/// Events are *active* (work that keeps a run alive: a pod's completion, an arrival) or *passive*
/// (retries, flushes, samples: they happen only while something else does). A run ends when its owner
/// says it is finished, at the horizon, or when no active event is queued and nothing has progressed
/// (`noteProgress`) for the stall window.
public final class Engine<Event> {
    @usableFromInline
    struct Queued {
        @usableFromInline let event: Event
        @usableFromInline let passive: Bool
        @inlinable init(event: Event, passive: Bool) {
            self.event = event
            self.passive = passive
        }
    }

    /// Current simulated time.
    public var now: SimTime { clock }
    @usableFromInline var clock: SimTime = 0
    /// When the run stops early.
    public let policy: StopPolicy
    @usableFromInline var queue = EventQueue<Queued>()
    /// Active events queued (stale ones included until they come out).
    public var activeEvents: Int { active }
    @usableFromInline var active = 0
    /// The last time something progressed.
    public var lastProgress: SimTime { progressAt }
    @usableFromInline var progressAt: SimTime = 0

    /// An engine at time 0 with an empty queue.
    public init(policy: StopPolicy) {
        self.policy = policy
    }

    /// Events queued (stale ones included).
    public var queuedEvents: Int { queue.count }

    /// Queues `event` at `time` in `phase`.
    @inlinable
    public func schedule(_ event: Event, at time: SimTime, phase: EventPhase, passive: Bool) {
        if !passive { active += 1 }
        queue.push(Queued(event: event, passive: passive), at: time, phase: phase)
    }

    /// Something progressed now (a pod was created, bound, started or ended; a job finished).
    @inlinable
    public func noteProgress() { progressAt = clock }

    /// Runs until `isFinished`, the horizon, a stall or an empty queue. Before the clock moves to an
    /// event's time, `willAdvance` sees the new time (for time integrals); then `handle` gets the event.
    @inlinable
    public func run(isFinished: () -> Bool, willAdvance: (SimTime) -> Void, handle: (Event) -> Void) -> StopReason {
        var budget = policy.maxEvents ?? Int.max
        while let key = queue.peekKey {
            if budget == 0 { return .eventLimit }
            budget -= 1
            if let horizon = policy.horizon, key.time > horizon {
                advance(to: horizon, willAdvance)
                return .horizon
            }
            let (time, _, queued) = queue.pop()!
            if !queued.passive { active -= 1 }
            advance(to: time, willAdvance)
            handle(queued.event)
            if isFinished() { return .completed }
            if active == 0 && clock - progressAt >= policy.stallWindow { return .stalled }
        }
        return isFinished() ? .completed : .stalled
    }

    @inlinable
    func advance(to time: SimTime, _ willAdvance: (SimTime) -> Void) {
        precondition(time >= clock, "time never moves backwards")
        willAdvance(time)
        clock = time
    }
}
