/// Max-min fair rates of flows over NIC links (progressive filling).
///
/// Each flow crosses its source node's egress link and its destination node's ingress link; every
/// link has a capacity. All flows grow at the same pace until a link is full; its flows freeze; the
/// others go on. The result is the unique max-min fair allocation.
public enum MaxMinFairShare {
    /// A flow from one node to another (indices into the capacity arrays).
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

    /// Rates (in the capacities' unit) of `flows` given per-node `egress` and `ingress` capacities.
    /// - Complexity: O(rounds × (flows + links)); rounds ≤ number of distinct bottlenecks.
    public static func rates(_ flows: [Flow], egress: [Double], ingress: [Double]) -> [Double] {
        let nodes = egress.count
        var rate = [Double](repeating: 0, count: flows.count)
        guard !flows.isEmpty else { return rate }
        // Links 0..<nodes are egress, nodes..<2*nodes ingress.
        var remaining = egress + ingress
        var users = [Int](repeating: 0, count: 2 * nodes)
        for f in flows {
            users[f.source] += 1
            users[nodes + f.destination] += 1
        }
        // Only links and flows still in play are visited each round.
        var links = (0..<(2 * nodes)).filter { users[$0] > 0 }
        var active = Array(flows.indices)
        var full = [Bool](repeating: false, count: 2 * nodes)
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
                let f = flows[i]
                if full[f.source] || full[nodes + f.destination] {
                    users[f.source] -= 1
                    users[nodes + f.destination] -= 1
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
