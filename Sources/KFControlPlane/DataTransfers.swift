import KFCluster
import KFEngine

/// Bulk data transfers over the cluster's network fabric (artifacts to and from an object store,
/// datasets): each is a flow over links (a node's NIC, the store's front end), all sharing the links
/// max-min fairly, as fluids. Rates change only when a transfer starts or ends: then every transfer
/// advances by rate x elapsed time, rates are recomputed, and a timer is set at the earliest end.
public final class DataTransfers: SystemController {
    public let name = "data-transfers"

    struct Transfer {
        var flow: MaxMinFairShare.LinkFlow
        var remaining: Double
        var rate = 0.0
        let done: () -> Void
    }

    private var transfers: [Int: Transfer] = [:]
    private var nextID = 0
    private var updated: SimTime = 0
    private var timers = ControllerTimers<Int>()
    private var pending: Scheduled?
    private unowned(unsafe) var context: ControllerContext!
    /// Bytes moved so far (for reports).
    public private(set) var bytesMoved = 0.0

    /// The service of `sim` (added on first use).
    public static func of(_ sim: ControllerContext) -> DataTransfers {
        sim.service(DataTransfers.self) {
            let t = DataTransfers()
            _ = sim.add(system: t)
            return t
        }
    }

    init() {}

    public func start(in context: ControllerContext) {
        self.context = context
        timers.owner = context.index(of: self)
        updated = context.now
    }

    /// Moves `bytes` over `flow`; `done` runs when the last byte arrives (at once for 0 bytes).
    public func start(bytes: Double, over flow: MaxMinFairShare.LinkFlow, done: @escaping () -> Void) {
        guard bytes > 0 else { done(); return }
        advance()
        transfers[nextID] = Transfer(flow: flow, remaining: bytes, done: done)
        nextID += 1
        reschedule()
    }

    /// Transfers in flight.
    public var active: Int { transfers.count }

    public func fire(_ timer: Scheduled, in context: ControllerContext) {
        guard timers.fired(timer) != nil else { return }
        pending = nil
        advance()
        // Every transfer within a microsecond of its end is done (the timer was rounded to one).
        let finished = transfers.filter { $0.value.remaining <= max($0.value.rate * 1e-6, 1e-9) }.keys.sorted()
        var callbacks: [() -> Void] = []
        for id in finished {
            bytesMoved += transfers[id]!.remaining
            callbacks.append(transfers.removeValue(forKey: id)!.done)
        }
        reschedule()
        for c in callbacks { c() }
    }

    /// Advances every transfer to now at its rate.
    private func advance() {
        let now = context.now
        let dt = Clock.seconds(now - updated)
        if dt > 0 {
            for id in transfers.keys {
                let moved = min(transfers[id]!.remaining, transfers[id]!.rate * dt)
                transfers[id]!.remaining -= moved
                bytesMoved += moved
            }
        }
        updated = now
    }

    /// New rates; a timer at the earliest end.
    private func reschedule() {
        if let p = pending { timers.cancel(p); pending = nil }
        guard !transfers.isEmpty else { return }
        let ids = transfers.keys.sorted()
        let rates = context.cluster.network.rates(ids.map { transfers[$0]!.flow })
        var earliest = Double.infinity
        for (id, rate) in zip(ids, rates) {
            transfers[id]!.rate = rate
            if rate > 0 { earliest = min(earliest, transfers[id]!.remaining / rate) }
        }
        guard earliest.isFinite else { return }
        pending = timers.set(0, at: context.now + max(1, Clock.micros(seconds: earliest).roundedUpMicro), in: context)
    }
}

private extension SimTime {
    /// At least one microsecond (a transfer never ends at the instant it starts).
    var roundedUpMicro: SimTime { Swift.max(self, 1) }
}
