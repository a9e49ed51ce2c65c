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
        /// A flow over one to four links (no array: flows are built on the hot path).
        public init(_ a: Int32, _ b: Int32 = -1, _ c: Int32 = -1, _ d: Int32 = -1) {
            precondition(a >= 0, "a flow crosses at least one link")
            self.a = a
            self.b = b
            self.c = c
            self.d = d
        }
        /// Calls `body` with each link of the flow.
        @inlinable public func forEach(_ body: (Int) -> Void) {
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
    ///
    /// Every unfrozen flow has the same rate, the water level: a flow's rate is the level at the round
    /// its first link fills, so a round visits only the links still in play and the flows of the links
    /// that filled (the level is summed in the same order as per-flow rates would be: same bits).
    /// - Complexity: O(rounds × links + flows); rounds ≤ number of distinct bottlenecks.
    public static func rates(_ flows: [LinkFlow], capacities: [Double]) -> [Double] {
        var rate = [Double](repeating: 0, count: flows.count)
        guard !flows.isEmpty else { return rate }
        var remaining = capacities
        var users = [Int](repeating: 0, count: capacities.count)
        for f in flows { f.forEach { users[$0] += 1 } }
        // Flows by link (compressed rows).
        var first = [Int](repeating: 0, count: capacities.count + 1)
        for l in capacities.indices { first[l + 1] = first[l] + users[l] }
        var fill = first
        var byLink = [Int](repeating: 0, count: first[capacities.count])
        for (i, f) in flows.enumerated() {
            f.forEach { l in
                byLink[fill[l]] = i
                fill[l] += 1
            }
        }
        var links = capacities.indices.filter { users[$0] > 0 }
        var frozen = [Bool](repeating: false, count: flows.count)
        var full: [Int] = []
        var level = 0.0
        var unfrozen = flows.count
        while unfrozen > 0 {
            var delta = Double.infinity
            for l in links { delta = min(delta, max(remaining[l], 0) / Double(users[l])) }
            guard delta.isFinite else { break }
            level += delta
            // The links that set the pace are full; every other link gives up delta per flow.
            full.removeAll(keepingCapacity: true)
            for l in links {
                if max(remaining[l], 0) / Double(users[l]) <= delta * (1 + 1e-12) { full.append(l) }
                remaining[l] -= delta * Double(users[l])
            }
            for l in full {
                for k in first[l]..<first[l + 1] where !frozen[byLink[k]] {
                    let i = byLink[k]
                    frozen[i] = true
                    rate[i] = level
                    unfrozen -= 1
                    flows[i].forEach { users[$0] -= 1 }
                }
            }
            links.removeAll { users[$0] == 0 }
        }
        // Flows left when no link constrains them any more keep the level reached.
        if unfrozen > 0 { for i in flows.indices where !frozen[i] { rate[i] = level } }
        return rate
    }
}
