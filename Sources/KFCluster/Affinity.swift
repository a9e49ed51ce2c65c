/// A node selector term: all requirements must hold (`matchExpressions` and `matchFields` on the name).
public struct NodeSelectorTerm: Equatable, Hashable, Sendable {
    /// Requirements on node labels.
    public var matchExpressions: [LabelRequirement]
    /// Requirements on node fields (only `metadata.name` exists in Kubernetes).
    public var matchFields: [LabelRequirement]

    /// A term.
    public init(matchExpressions: [LabelRequirement] = [], matchFields: [LabelRequirement] = []) {
        self.matchExpressions = matchExpressions
        self.matchFields = matchFields
    }

    /// Whether a node with `labels` and `name` satisfies the term. An empty term matches nothing,
    /// as in Kubernetes.
    public func matches(labels: Labels, name: String) -> Bool {
        if matchExpressions.isEmpty && matchFields.isEmpty { return false }
        for r in matchExpressions where !r.matches(labels) { return false }
        for r in matchFields where !r.matches(["metadata.name": name]) { return false }
        return true
    }
}

/// A weighted preferred node selector term.
public struct PreferredSchedulingTerm: Equatable, Hashable, Sendable {
    /// Weight 1...100.
    public var weight: Int64
    /// The term.
    public var preference: NodeSelectorTerm
    /// A preferred term.
    public init(weight: Int64, preference: NodeSelectorTerm) {
        self.weight = weight
        self.preference = preference
    }
}

/// Node affinity of a pod.
public struct NodeAffinity: Equatable, Hashable, Sendable {
    /// `requiredDuringSchedulingIgnoredDuringExecution`: any term must match (nil: no requirement).
    public var required: [NodeSelectorTerm]?
    /// `preferredDuringSchedulingIgnoredDuringExecution`.
    public var preferred: [PreferredSchedulingTerm]

    /// Node affinity.
    public init(required: [NodeSelectorTerm]? = nil, preferred: [PreferredSchedulingTerm] = []) {
        self.required = required
        self.preferred = preferred
    }
}

/// A pod (anti-)affinity term: pods matching `labelSelector` (in `namespaces`, default the pod's own)
/// within the same `topologyKey` domain.
public struct PodAffinityTerm: Equatable, Hashable, Sendable {
    /// Which pods the term is about.
    public var labelSelector: LabelSelector
    /// Namespaces to look in (empty: the pod's own).
    public var namespaces: [String]
    /// The node label that defines a domain.
    public var topologyKey: String

    /// A term.
    public init(labelSelector: LabelSelector, namespaces: [String] = [], topologyKey: String) {
        self.labelSelector = labelSelector
        self.namespaces = namespaces
        self.topologyKey = topologyKey
    }

    /// Whether an existing pod (namespace, labels) is selected by this term of a pod in `ownNamespace`.
    public func selects(namespace: String, labels: Labels, ownNamespace: String) -> Bool {
        let inScope = namespaces.isEmpty ? namespace == ownNamespace : namespaces.contains(namespace)
        return inScope && labelSelector.matches(labels)
    }
}

/// A weighted pod (anti-)affinity term.
public struct WeightedPodAffinityTerm: Equatable, Hashable, Sendable {
    /// Weight 1...100.
    public var weight: Int64
    /// The term.
    public var term: PodAffinityTerm
    /// A weighted term.
    public init(weight: Int64, term: PodAffinityTerm) {
        self.weight = weight
        self.term = term
    }
}

/// Pod affinity or anti-affinity.
public struct PodAffinity: Equatable, Hashable, Sendable {
    /// Required terms.
    public var required: [PodAffinityTerm]
    /// Preferred terms.
    public var preferred: [WeightedPodAffinityTerm]
    /// Terms.
    public init(required: [PodAffinityTerm] = [], preferred: [WeightedPodAffinityTerm] = []) {
        self.required = required
        self.preferred = preferred
    }
    /// Whether there is no term.
    public var isEmpty: Bool { required.isEmpty && preferred.isEmpty }
}

/// A topology spread constraint.
public struct TopologySpreadConstraint: Equatable, Hashable, Sendable {
    /// What to do when the constraint cannot be met.
    public enum WhenUnsatisfiable: String, Sendable, CaseIterable {
        case doNotSchedule = "DoNotSchedule"
        case scheduleAnyway = "ScheduleAnyway"
    }

    /// The largest allowed difference between domains.
    public var maxSkew: Int64
    /// The node label defining domains.
    public var topologyKey: String
    /// Filter or score.
    public var whenUnsatisfiable: WhenUnsatisfiable
    /// Pods counted.
    public var labelSelector: LabelSelector

    /// A constraint.
    public init(maxSkew: Int64, topologyKey: String, whenUnsatisfiable: WhenUnsatisfiable, labelSelector: LabelSelector) {
        self.maxSkew = maxSkew
        self.topologyKey = topologyKey
        self.whenUnsatisfiable = whenUnsatisfiable
        self.labelSelector = labelSelector
    }
}
