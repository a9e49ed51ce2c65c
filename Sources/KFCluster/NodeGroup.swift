/// A group of identical nodes that can grow and shrink (a Cluster Autoscaler node group): new nodes
/// are copies of `template` named `<name>-<k>`.
public struct NodeGroup: Equatable, Sendable {
    /// Group name.
    public var name: String
    /// What a new node of the group looks like (its name is replaced).
    public var template: NodeSpec
    /// Fewest nodes.
    public var minSize: Int
    /// Most nodes.
    public var maxSize: Int

    /// A group.
    public init(name: String, template: NodeSpec, minSize: Int = 0, maxSize: Int) {
        self.name = name
        var t = template
        t.nodeGroup = name
        self.template = t
        self.minSize = minSize
        self.maxSize = maxSize
    }
}
