/// CPU as a fluid: how a node's cores are shared among its running containers.
///
/// Each consumer has a cap `min(demand, limit)` and a weight (its CPU request, i.e. `cpu.shares`).
/// When the caps fit in the capacity every consumer gets its cap; otherwise the capacity is
/// water-filled in proportion to the weights, nobody above its cap, leftovers redistributed.
public enum CPUSharing {
    /// The weight of a consumer without a CPU request: Kubernetes gives such a container
    /// `cpu.shares` = 2, the equivalent of 2 millicores.
    public static let minimumWeight: Double = 2

    /// The rates (same unit as `capacity`) of consumers with `caps` and `weights`.
    ///
    /// - Complexity: O(n log n) when over-subscribed, O(n) otherwise.
    public static func rates(caps: [Double], weights: [Double], capacity: Double) -> [Double] {
        precondition(caps.count == weights.count, "one weight per cap")
        var total = 0.0
        for c in caps { total += c }
        if total <= capacity { return caps }
        // Water-filling: raise a common level λ; consumer i gets min(cap_i, λ * w_i).
        let order = caps.indices.sorted { a, b in
            let ra = caps[a] / weights[a], rb = caps[b] / weights[b]
            return ra != rb ? ra < rb : a < b
        }
        var rates = [Double](repeating: 0, count: caps.count)
        var remaining = capacity
        var weightLeft = 0.0
        for w in weights { weightLeft += w }
        for i in order {
            let fair = weightLeft > 0 ? remaining * weights[i] / weightLeft : 0
            let rate = min(caps[i], fair)
            rates[i] = rate
            remaining -= rate
            weightLeft -= weights[i]
        }
        return rates
    }
}
