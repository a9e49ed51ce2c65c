import KFCluster

/// Required pod affinity and anti-affinity (the incoming pod's terms and existing pods' anti-affinity
/// towards it) as a filter; the incoming pod's preferred terms as a score.
public final class InterPodAffinity: PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin {
    public let name = "InterPodAffinity"

    /// PreFilter's results, keyed like kube-scheduler's topologyToMatchedTermCount: "key=value" pairs.
    final class FilterState {
        var affinityCounts: [String: Int] = [:]
        var antiAffinityCounts: [String: Int] = [:]
        var existingAntiAffinity: [String: Int] = [:]
        var podMatchesOwnAffinity = false
    }

    /// PreScore's results: the preferred terms with their weighted counts per topology value.
    final class ScoreState {
        var preferred: [(term: PodAffinityTerm, weight: Int64, counts: [String: Int64])] = []
    }

    /// The plugin.
    public init() {}

    @inline(__always) static func pair(_ key: String, _ value: String) -> String { key + "=" + value }

    public func preFilter(_ ctx: CycleContext) -> String? {
        // The spec alone (one reference), not a copy of the whole pod.
        let spec = ctx.pod.spec
        let cluster = ctx.cluster
        let required = spec.podAffinity.required
        let anti = spec.podAntiAffinity.required
        guard !required.isEmpty || !anti.isEmpty || cluster.boundPodsWithRequiredAntiAffinity > 0 else { return nil }
        var affinityCounts: [String: Int] = [:], antiAffinityCounts: [String: Int] = [:], existingAntiAffinity: [String: Int] = [:]
        for node in cluster.nodes where !node.pods.isEmpty {
            let labels = node.spec.labels
            for id in node.pods {
                let otherSpec = cluster.pods[Int(id)].spec
                let otherNamespace = cluster.namespaces[Int(cluster.pods[Int(id)].namespaceIndex)].name
                // Affinity: an existing pod counts only if it matches all the incoming pod's terms.
                if !required.isEmpty && required.allSatisfy({
                    $0.selects(namespace: otherNamespace, labels: otherSpec.labels, ownNamespace: spec.namespace)
                }) {
                    for term in required { if let v = labels[term.topologyKey] { affinityCounts[Self.pair(term.topologyKey, v), default: 0] += 1 } }
                }
                for term in anti {
                    if let v = labels[term.topologyKey],
                       term.selects(namespace: otherNamespace, labels: otherSpec.labels, ownNamespace: spec.namespace) {
                        antiAffinityCounts[Self.pair(term.topologyKey, v), default: 0] += 1
                    }
                }
                for term in otherSpec.podAntiAffinity.required {
                    if let v = labels[term.topologyKey],
                       term.selects(namespace: spec.namespace, labels: spec.labels, ownNamespace: otherNamespace) {
                        existingAntiAffinity[Self.pair(term.topologyKey, v), default: 0] += 1
                    }
                }
            }
        }
        let state = FilterState()
        state.affinityCounts = affinityCounts
        state.antiAffinityCounts = antiAffinityCounts
        state.existingAntiAffinity = existingAntiAffinity
        state.podMatchesOwnAffinity = !required.isEmpty && required.allSatisfy {
            $0.selects(namespace: spec.namespace, labels: spec.labels, ownNamespace: spec.namespace)
        }
        ctx.state.write(state)
        return nil
    }

    public func passesAll(_ ctx: CycleContext) -> Bool { ctx.state.read(FilterState.self) == nil }

    public func filter(_ ctx: CycleContext, node: Int32) -> String? {
        guard let state = ctx.state.read(FilterState.self) else { return nil }
        let (affinityCounts, antiAffinityCounts, existingAntiAffinity) = (state.affinityCounts, state.antiAffinityCounts, state.existingAntiAffinity)
        let labels = ctx.cluster.nodes[Int(node)].spec.labels
        if !existingAntiAffinity.isEmpty {
            for (key, value) in labels.sorted(by: { $0.key < $1.key }) where existingAntiAffinity[Self.pair(key, value), default: 0] > 0 {
                return "node(s) didn't satisfy existing pods anti-affinity rules"
            }
        }
        for term in ctx.pod.spec.podAntiAffinity.required {
            if let v = labels[term.topologyKey], antiAffinityCounts[Self.pair(term.topologyKey, v), default: 0] > 0 {
                return "node(s) didn't match pod anti-affinity rules"
            }
        }
        let required = ctx.pod.spec.podAffinity.required
        if required.isEmpty { return nil }
        var podsExist = true
        for term in required {
            guard let v = labels[term.topologyKey] else { return "node(s) didn't match pod affinity rules" }
            if affinityCounts[Self.pair(term.topologyKey, v), default: 0] <= 0 { podsExist = false }
        }
        // The first pod of a group that matches its own terms may go anywhere the keys exist.
        if !podsExist && !(affinityCounts.isEmpty && state.podMatchesOwnAffinity) { return "node(s) didn't match pod affinity rules" }
        return nil
    }

    public func preScore(_ ctx: CycleContext) {
        // Without preferred terms nothing is written: every reader takes no state as no terms.
        guard !ctx.pod.spec.podAffinity.preferred.isEmpty || !ctx.pod.spec.podAntiAffinity.preferred.isEmpty else { return }
        let state = ScoreState()
        ctx.state.write(state)
        let pod = ctx.pod
        let terms = pod.spec.podAffinity.preferred.map { ($0.term, $0.weight) }
            + pod.spec.podAntiAffinity.preferred.map { ($0.term, -$0.weight) }
        let cluster = ctx.cluster
        for (term, weight) in terms {
            var counts: [String: Int64] = [:]
            for node in cluster.nodes where !node.pods.isEmpty {
                guard let value = node.spec.labels[term.topologyKey] else { continue }
                for id in node.pods {
                    let other = cluster.pods[Int(id)]
                    let ns = cluster.namespaces[Int(other.namespaceIndex)].name
                    if term.selects(namespace: ns, labels: other.spec.labels, ownNamespace: pod.spec.namespace) {
                        counts[value, default: 0] += weight
                    }
                }
            }
            state.preferred.append((term, weight, counts))
        }
    }

    /// No preferred term to count (PreScore found none): every node scores 0.
    public func isConstant(_ ctx: CycleContext) -> Bool { ctx.state.read(ScoreState.self)?.preferred.isEmpty ?? true }

    public func scoreAll(_ ctx: CycleContext, nodes: [Int32], into scores: inout [Int64]) {
        guard let state = ctx.state.read(ScoreState.self), !state.preferred.isEmpty else {
            scores.append(contentsOf: repeatElement(0, count: nodes.count))
            return
        }
        for node in nodes { scores.append(score(ctx, node: node)) }
    }

    public func score(_ ctx: CycleContext, node: Int32) -> Int64 {
        guard let preferred = ctx.state.read(ScoreState.self)?.preferred, !preferred.isEmpty else { return 0 }
        let labels = ctx.cluster.nodes[Int(node)].spec.labels
        var sum: Int64 = 0
        for p in preferred {
            if let value = labels[p.term.topologyKey] { sum += p.counts[value, default: 0] }
        }
        return sum
    }

    public func normalize(_ ctx: CycleContext, scores: inout [Int64]) {
        guard let state = ctx.state.read(ScoreState.self), !state.preferred.isEmpty else { return }
        guard let lo = scores.min(), let hi = scores.max() else { return }
        let diff = hi - lo
        for i in scores.indices {
            scores[i] = diff > 0 ? Int64(Double(maxNodeScore) * (Double(scores[i] - lo) / Double(diff))) : 0
        }
    }
}
