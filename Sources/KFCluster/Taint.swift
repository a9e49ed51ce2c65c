/// A node taint.
public struct Taint: Equatable, Hashable, Sendable {
    /// Taint effects.
    public enum Effect: String, Sendable, CaseIterable {
        case noSchedule = "NoSchedule"
        case preferNoSchedule = "PreferNoSchedule"
        case noExecute = "NoExecute"
    }

    /// The key.
    public var key: String
    /// The value (may be empty).
    public var value: String
    /// The effect.
    public var effect: Effect

    /// A taint.
    public init(key: String, value: String = "", effect: Effect) {
        self.key = key
        self.value = value
        self.effect = effect
    }
}

/// A pod toleration.
public struct Toleration: Equatable, Hashable, Sendable {
    /// Toleration operators.
    public enum Operator: String, Sendable, CaseIterable {
        case equal = "Equal"
        case exists = "Exists"
    }

    /// The key (empty with `Exists` tolerates every taint).
    public var key: String
    /// The operator.
    public var op: Operator
    /// The value, for `Equal`.
    public var value: String
    /// The effect tolerated (nil: all effects).
    public var effect: Taint.Effect?

    /// A toleration.
    public init(key: String, op: Operator = .equal, value: String = "", effect: Taint.Effect? = nil) {
        self.key = key
        self.op = op
        self.value = value
        self.effect = effect
    }

    /// Whether this toleration tolerates `taint` (Kubernetes `ToleratesTaint`).
    public func tolerates(_ taint: Taint) -> Bool {
        if let effect, effect != taint.effect { return false }
        if !key.isEmpty && key != taint.key { return false }
        switch op {
        case .exists: return true
        case .equal: return value == taint.value
        }
    }
}

extension Array where Element == Toleration {
    /// Whether any toleration tolerates `taint`.
    public func tolerate(_ taint: Taint) -> Bool {
        contains { $0.tolerates(taint) }
    }
}
