/// Labels of a node or pod: key -> value.
public typealias Labels = [String: String]

/// A set-based requirement of a label selector or node selector term.
public struct LabelRequirement: Equatable, Hashable, Sendable {
    /// The operators of Kubernetes selectors (`Gt`/`Lt` only in node selectors).
    public enum Operator: String, Sendable, CaseIterable {
        case `in` = "In"
        case notIn = "NotIn"
        case exists = "Exists"
        case doesNotExist = "DoesNotExist"
        case gt = "Gt"
        case lt = "Lt"
    }

    /// The label key.
    public var key: String
    /// The operator.
    public var op: Operator
    /// The values (one integer for `Gt`/`Lt`, none for `Exists`/`DoesNotExist`).
    public var values: [String]

    /// A requirement.
    public init(key: String, op: Operator, values: [String] = []) {
        self.key = key
        self.op = op
        self.values = values
    }

    /// Whether `labels` satisfy the requirement.
    public func matches(_ labels: Labels) -> Bool {
        let value = labels[key]
        switch op {
        case .in: return value.map { values.contains($0) } ?? false
        case .notIn: return value.map { !values.contains($0) } ?? true
        case .exists: return value != nil
        case .doesNotExist: return value == nil
        case .gt:
            guard let v = value.flatMap({ Int64($0) }), let bound = values.first.flatMap({ Int64($0) }) else { return false }
            return v > bound
        case .lt:
            guard let v = value.flatMap({ Int64($0) }), let bound = values.first.flatMap({ Int64($0) }) else { return false }
            return v < bound
        }
    }
}

/// A label selector: `matchLabels` and `matchExpressions`, all of which must hold.
public struct LabelSelector: Equatable, Hashable, Sendable {
    /// Exact key/value pairs, as sorted pairs so that iteration order is fixed.
    public var matchLabels: [LabelPair]
    /// Set-based requirements.
    public var matchExpressions: [LabelRequirement]

    /// A selector; an empty one matches everything.
    public init(matchLabels: [LabelPair] = [], matchExpressions: [LabelRequirement] = []) {
        self.matchLabels = matchLabels.sorted { $0.key < $1.key }
        self.matchExpressions = matchExpressions
    }

    /// Whether `labels` satisfy every part.
    public func matches(_ labels: Labels) -> Bool {
        for pair in matchLabels where labels[pair.key] != pair.value { return false }
        for requirement in matchExpressions where !requirement.matches(labels) { return false }
        return true
    }
}

/// One key/value pair.
public struct LabelPair: Equatable, Hashable, Sendable {
    /// The key.
    public var key: String
    /// The value.
    public var value: String
    /// A pair.
    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}

/// The well-known topology label keys.
public enum WellKnownLabels {
    /// Every node carries its name under this key.
    public static let hostname = "kubernetes.io/hostname"
    /// A node's zone.
    public static let zone = "topology.kubernetes.io/zone"
}
