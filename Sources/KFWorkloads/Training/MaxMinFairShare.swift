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
        var active = [Bool](repeating: true, count: flows.count)
        var activeCount = flows.count
        var users = [Int](repeating: 0, count: 2 * nodes)
        for f in flows {
            users[f.source] += 1
            users[nodes + f.destination] += 1
        }
        var full = [Bool](repeating: false, count: 2 * nodes)
        while activeCount > 0 {
            var delta = Double.infinity
            for l in 0..<(2 * nodes) where users[l] > 0 {
                delta = min(delta, max(remaining[l], 0) / Double(users[l]))
            }
            guard delta.isFinite else { break }
            // The links that set the pace are full; every other link gives up delta per flow.
            for l in 0..<(2 * nodes) where users[l] > 0 {
                full[l] = max(remaining[l], 0) / Double(users[l]) <= delta * (1 + 1e-12)
                remaining[l] -= delta * Double(users[l])
            }
            for (i, f) in flows.enumerated() where active[i] {
                rate[i] += delta
                if full[f.source] || full[nodes + f.destination] {
                    active[i] = false
                    activeCount -= 1
                    users[f.source] -= 1
                    users[nodes + f.destination] -= 1
                }
            }
        }
        return rate
    }
}
