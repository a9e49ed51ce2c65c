/// A node as declared: what it offers and how it is labelled.
public struct NodeSpec: Equatable, Sendable {
    /// Default `maxPods` of a kubelet.
    public static let defaultMaxPods: Int64 = 110

    /// Unique node name.
    public var name: String
    /// Allocatable CPU, memory and GPUs.
    public var allocatable: Resources
    /// Allocatable pod slots.
    public var maxPods: Int64
    /// Labels; `kubernetes.io/hostname` (and the zone label when a zone is set) are added.
    public var labels: Labels
    /// Taints.
    public var taints: [Taint]
    /// Whether the node is cordoned.
    public var unschedulable: Bool
    /// NIC bandwidth in bits per second.
    public var nicBandwidth: Double
    /// Bandwidth available to image pulls, in bytes per second.
    public var imagePullBandwidth: Double
    /// Images already present on the node.
    public var images: Set<String>
    /// The node group (cluster autoscaler), if any.
    public var nodeGroup: String?

    /// A node.
    public init(name: String, allocatable: Resources, maxPods: Int64 = NodeSpec.defaultMaxPods, labels: Labels = [:],
                taints: [Taint] = [], unschedulable: Bool = false, zone: String? = nil,
                nicBandwidth: Double = 10e9, imagePullBandwidth: Double = 100e6, images: Set<String> = [],
                nodeGroup: String? = nil) {
        self.name = name
        self.allocatable = allocatable
        self.maxPods = maxPods
        var labels = labels
        labels[WellKnownLabels.hostname] = name
        if let zone { labels[WellKnownLabels.zone] = zone }
        self.labels = labels
        self.taints = taints
        self.unschedulable = unschedulable
        self.nicBandwidth = nicBandwidth
        self.imagePullBandwidth = imagePullBandwidth
        self.images = images
        self.nodeGroup = nodeGroup
    }

    /// The node's zone label, if any.
    public var zone: String? { labels[WellKnownLabels.zone] }
}
