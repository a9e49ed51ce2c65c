import KFCluster

/// Favours nodes that already hold the pod's images, weighted by how widely each image is spread.
public final class ImageLocality: ScorePlugin {
    public let name = "ImageLocality"
    static let mb: Int64 = 1024 * 1024
    /// Below this sum every node scores 0.
    public static let minThreshold: Int64 = 23 * mb
    /// Per container, above this sum a node scores 100.
    public static let maxContainerThreshold: Int64 = 1000 * mb

    /// The plugin.
    public init() {}

    public func score(_ ctx: CycleContext, node: Int32) -> Int64 {
        let cluster = ctx.cluster
        let total = cluster.nodes.count
        var sum: Int64 = 0
        for c in ctx.pod.spec.containers where !c.image.isEmpty && cluster.nodeHasImage(node, c.image) {
            let size = cluster.imageSizes[c.image] ?? 0
            let spread = Double(cluster.imageNodeCount[c.image] ?? 0) / Double(total)
            sum += Int64(Double(size) * spread)
        }
        return ImageLocality.priority(sumScores: sum, containers: ctx.pod.spec.containers.count)
    }

    /// `calculatePriority`: clamps the sum to [min, max] and scales it to 0...100.
    public static func priority(sumScores: Int64, containers: Int) -> Int64 {
        let maxThreshold = maxContainerThreshold * Int64(containers)
        var sum = sumScores
        if sum < minThreshold { sum = minThreshold } else if sum > maxThreshold { sum = maxThreshold }
        return maxNodeScore * (sum - minThreshold) / (maxThreshold - minThreshold)
    }
}
