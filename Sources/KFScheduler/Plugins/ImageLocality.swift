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

    /// A node's score reads only its usage (and images), the pod and cluster-wide values.
    public var scoresByNodeState: Bool { true }

    public func scoreAll(_ ctx: CycleContext, nodes: [Int32], into scores: inout [Int64]) {
        guard ctx.hasImages else {
            scores.append(contentsOf: repeatElement(0, count: nodes.count))
            return
        }
        // Each known image's share (size x spread) once per cycle; per node, the sum over the images it
        // holds, in container order as `score` adds them.
        let cluster = ctx.cluster
        let total = Double(cluster.liveNodes.count)
        let ids = ctx.imageIDs
        var shares: [Int64] = []
        for id in ids {
            shares.append(id >= 0 ? Int64(Double(cluster.imageSizeByID[id]) * (Double(cluster.imageNodeCount[id]) / total)) : 0)
        }
        let containers = ids.count
        for node in nodes {
            var sum: Int64 = 0
            for (k, id) in ids.enumerated() where id >= 0 && cluster.nodeHasImage(node, id: id) { sum += shares[k] }
            scores.append(ImageLocality.priority(sumScores: sum, containers: containers))
        }
    }

    /// The pod names no known image: every node scores 0.
    public func isConstant(_ ctx: CycleContext) -> Bool { !ctx.hasImages }

    public func score(_ ctx: CycleContext, node: Int32) -> Int64 {
        guard ctx.hasImages else { return 0 }
        let cluster = ctx.cluster
        let total = Double(cluster.liveNodes.count)
        var sum: Int64 = 0
        for id in ctx.imageIDs where id >= 0 && cluster.nodeHasImage(node, id: id) {
            let spread = Double(cluster.imageNodeCount[id]) / total
            sum += Int64(Double(cluster.imageSizeByID[id]) * spread)
        }
        return ImageLocality.priority(sumScores: sum, containers: ctx.imageIDs.count)
    }

    /// `calculatePriority`: clamps the sum to [min, max] and scales it to 0...100.
    public static func priority(sumScores: Int64, containers: Int) -> Int64 {
        let maxThreshold = maxContainerThreshold * Int64(containers)
        var sum = sumScores
        if sum < minThreshold { sum = minThreshold } else if sum > maxThreshold { sum = maxThreshold }
        return maxNodeScore * (sum - minThreshold) / (maxThreshold - minThreshold)
    }
}
