import KFCluster
import KFControlPlane

/// How training jobs are admitted, placed and resized: one plugin per policy, chosen per workload,
/// registered by name. The engine never branches on a policy's name.
public protocol TrainingPolicy: AnyObject {
    /// The registered name.
    var name: String { get }
    /// Called whenever something may let a decision change (an arrival, a job ending, pods starting or
    /// ending, the operator's periodic resync): starts waiting jobs and resizes running ones through `ctx`.
    func decide(_ ctx: TrainingContext)
}

/// Policies by name.
public enum TrainingPolicies {
    /// Factories by name.
    public static let registry: [String: @Sendable () -> TrainingPolicy] = [
        "default": { DefaultTrainingPolicy() },
        "gang": { GangTrainingPolicy() },
        "coscheduling": { CoschedulingTrainingPolicy() },
        "affinity": { AffinityTrainingPolicy() },
        "autoscaling": { AutoscalingTrainingPolicy() },
        "optimus": { OptimusTrainingPolicy() },
    ]

    /// The registered names, sorted.
    public static var names: [String] { registry.keys.sorted() }

    /// A new instance of the policy called `name`.
    public static func make(_ name: String) -> TrainingPolicy? { registry[name]?() }
}
