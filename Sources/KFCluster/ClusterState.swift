import KFEngine

/// The cluster's mutable state: nodes, pods, namespaces and the accounting that goes with them.
///
/// It has no clock of its own: the simulation passes `now` into every change.
public final class ClusterState {
    /// Nodes, by index.
    public internal(set) var nodes: [Node]
    /// What is requested on each node, by node index.
    public internal(set) var usage: [NodeUsage]
    /// Admitted pods, by `PodID`.
    public internal(set) var pods: [Pod] = []
    /// Namespaces, by index.
    public let namespaces: [NamespaceSpec]
    /// Quota usage per namespace index.
    public internal(set) var quotaUsage: [QuotaUsage]
    /// Image sizes in bytes, by image name.
    public let imageSizes: [String: Int64]
    /// Images the cluster knows (sized, or present on a node), by name -> dense id.
    public let imageIDs: [String: Int]
    /// The container list `knownImageIDs(of:)` last looked up, and its ids.
    var imageIDsOf: [ContainerSpec] = [], imageIDsOfLast: [Int] = []
    /// Size of each known image, by id.
    public let imageSizeByID: [Int64]
    /// Number of nodes holding each known image (present or pulled), by id.
    public internal(set) var imageNodeCount: [Int]
    /// Which known images each node holds (present or pulled): `imageWords` 64-bit words per node.
    public internal(set) var nodeImageBits: [UInt64]
    /// Words per node in `nodeImageBits`.
    public let imageWords: Int
    /// Sum of allocatable resources.
    public internal(set) var capacity: Resources
    /// Sum of requests of bound, non-terminated pods.
    public internal(set) var allocated: Resources = .zero
    /// CPU in use, in cores: the running pods' rates times their duty cycles.
    public internal(set) var cpuUsed: Double = 0
    /// GPUs in use: each running pod's GPUs times its duty cycle (1 unless its workload says less).
    public internal(set) var gpuUsed: Double = 0
    /// Bound, non-terminated pods that carry required anti-affinity terms (InterPodAffinity must look
    /// at existing pods only when this is positive).
    public internal(set) var boundPodsWithRequiredAntiAffinity = 0
    /// The priorities of bound, live pods, and how many pods have each.
    var boundPriorities: [Int32] = [], boundPriorityCounts: [Int] = []
    /// Pods pending (admitted, not bound).
    public internal(set) var pendingCount = 0
    /// Pods bound and starting.
    public internal(set) var startingCount = 0
    /// Pods running.
    public internal(set) var runningCount = 0
    /// Pods not yet terminated.
    public var liveCount: Int { pendingCount + startingCount + runningCount }
    /// PodGroup objects, by `namespace/name`.
    public internal(set) var podGroups: [String: PodGroup] = [:]
    /// Pods whose projected end changed in the last `start`, `finish` or rate recomputation;
    /// the simulation drains it to queue their completion events.
    public var rescheduled: [PodID] = []

    let namespaceIndex: [String: Int32]

    /// Nodes the scheduler sees (added and not deleted), in the order they joined.
    public internal(set) var liveNodes: [Int32] = []
    /// Node groups that can grow (Cluster Autoscaler), by name.
    public internal(set) var nodeGroups: [String: NodeGroup] = [:]
    /// The network: node NICs and the links added for services (storage), shared max-min fairly.
    public let network = NetworkFabric()
    /// Nodes whose requested resources, pod count or images changed, in order (kept while `logsUsageChanges`):
    /// readers remember how far they have read.
    public internal(set) var usageLog: [Int32] = []
    /// Bumped whenever a node is added, deleted or changed.
    public internal(set) var nodeVersion = 0
    /// Live nodes with at least one taint.
    public internal(set) var taintedNodes = 0
    /// Whether `usageLog` is kept.
    public var logsUsageChanges = false
    /// GPUs as devices: what is left of each, and which devices each bound GPU pod holds.
    public let gpuDevices = GPUDevices()
    /// The handlers called after every change, each with the token `subscribe` returned for it.
    var subscribers: [(token: Int, handler: (ClusterEvent) -> Void)] = []
    var nextSubscriberToken = 0

    /// A cluster of `nodes` (unique names) and `namespaces` (unique names); `nodeGroups` can add nodes
    /// from their templates at run time.
    public init(nodes: [NodeSpec], namespaces: [NamespaceSpec], imageSizes: [String: Int64] = [:], nodeGroups: [NodeGroup] = [],
                zoneUplinkBitsPerSecond: Double? = nil) {
        self.nodes = []
        self.usage = []
        self.namespaces = namespaces
        self.quotaUsage = Array(repeating: QuotaUsage(), count: namespaces.count)
        var index: [String: Int32] = [:]
        for (i, ns) in namespaces.enumerated() { index[ns.name] = Int32(i) }
        self.namespaceIndex = index
        self.imageSizes = imageSizes
        // Every image a node can ever hold gets an id now: node groups' templates included.
        let names = Set(imageSizes.keys).union(nodes.flatMap(\.images)).union(nodeGroups.flatMap(\.template.images)).sorted()
        var ids: [String: Int] = [:]
        for (i, name) in names.enumerated() { ids[name] = i }
        imageIDs = ids
        imageSizeByID = names.map { imageSizes[$0] ?? 0 }
        imageWords = (names.count + 63) / 64
        imageNodeCount = Array(repeating: 0, count: names.count)
        nodeImageBits = []
        capacity = .zero
        for g in nodeGroups { self.nodeGroups[g.name] = g }
        network.zoneUplinkBitsPerSecond = zoneUplinkBitsPerSecond
        for node in nodes { appendNode(node) }
    }

    /// The index of namespace `name`, if it exists.
    public func namespace(named name: String) -> Int32? { namespaceIndex[name] }

    /// Calls `handler` after every change of nodes and pods (in the order they happen) until
    /// `unsubscribe` is called with the token returned.
    @discardableResult
    public func subscribe(_ handler: @escaping (ClusterEvent) -> Void) -> Int {
        nextSubscriberToken += 1
        subscribers.append((nextSubscriberToken, handler))
        return nextSubscriberToken
    }

    /// Stops calling the handler `subscribe` returned `token` for. Not from inside a handler: an event
    /// being delivered still reaches every handler subscribed when it began.
    public func unsubscribe(_ token: Int) {
        subscribers.removeAll { $0.token == token }
    }

    func emit(_ event: ClusterEvent) {
        subscribers.withUnsafeBufferPointer { handlers in
            for s in handlers { s.handler(event) }
        }
    }
}
