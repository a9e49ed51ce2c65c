/// Max-min fair rates of flows over capacitated links (progressive filling).
///
/// Every flow crosses up to four links (a source NIC's egress, a destination NIC's ingress, a storage
/// service's link, ...). All flows grow at the same pace until a link is full; its flows freeze; the
/// others go on. The result is the unique max-min fair allocation.
public enum MaxMinFairShare {
    /// A flow from one node to another: the source's egress and the destination's ingress link.
    public struct Flow: Equatable, Sendable {
        /// Source node.
        public var source: Int
        /// Destination node.
        public var destination: Int
        /// A flow.
        public init(source: Int, destination: Int) {
            self.source = source
            self.destination = destination
        }
    }

    /// A flow over one to four links (indices into the capacities; -1 for none).
    public struct LinkFlow: Equatable, Sendable {
        /// The links, -1 where unused.
        public var a: Int32, b: Int32, c: Int32, d: Int32
        /// A flow over `links` (one to four).
        public init(_ links: Int32...) {
            precondition((1...4).contains(links.count), "a flow crosses one to four links")
            a = links[0]
            b = links.count > 1 ? links[1] : -1
            c = links.count > 2 ? links[2] : -1
            d = links.count > 3 ? links[3] : -1
        }
        @inlinable func forEach(_ body: (Int) -> Void) {
            body(Int(a))
            if b >= 0 { body(Int(b)) }
            if c >= 0 { body(Int(c)) }
            if d >= 0 { body(Int(d)) }
        }
    }

    /// Rates (in the capacities' unit) of node-to-node `flows` given per-node `egress` and `ingress`.
    public static func rates(_ flows: [Flow], egress: [Double], ingress: [Double]) -> [Double] {
        let n = Int32(egress.count)
        return rates(flows.map { LinkFlow(Int32($0.source), n + Int32($0.destination)) }, capacities: egress + ingress)
    }

    /// Rates (in the capacities' unit) of `flows` over links with `capacities`.
    /// - Complexity: O(rounds × (flows + links)); rounds ≤ number of distinct bottlenecks.
    public static func rates(_ flows: [LinkFlow], capacities: [Double]) -> [Double] {
        var rate = [Double](repeating: 0, count: flows.count)
        guard !flows.isEmpty else { return rate }
        var remaining = capacities
        var users = [Int](repeating: 0, count: capacities.count)
        for f in flows { f.forEach { users[$0] += 1 } }
        // Only links and flows still in play are visited each round.
        var links = capacities.indices.filter { users[$0] > 0 }
        var active = Array(flows.indices)
        var full = [Bool](repeating: false, count: capacities.count)
        while !active.isEmpty {
            var delta = Double.infinity
            for l in links { delta = min(delta, max(remaining[l], 0) / Double(users[l])) }
            guard delta.isFinite else { break }
            // The links that set the pace are full; every other link gives up delta per flow.
            for l in links {
                full[l] = max(remaining[l], 0) / Double(users[l]) <= delta * (1 + 1e-12)
                remaining[l] -= delta * Double(users[l])
            }
            var still: [Int] = []
            still.reserveCapacity(active.count)
            for i in active {
                rate[i] += delta
                var frozen = false
                flows[i].forEach { if full[$0] { frozen = true } }
                if frozen {
                    flows[i].forEach { users[$0] -= 1 }
                } else {
                    still.append(i)
                }
            }
            active = still
            links.removeAll { users[$0] == 0 }
        }
        return rate
    }
}
