import KFEngine

/// Nodes joining, changing and leaving at run time.
extension ClusterState {
    /// Appends a node with nothing on it (no event: used at creation and for hypothetical nodes).
    @discardableResult
    func appendNode(_ spec: NodeSpec) -> Int32 {
        let n = Int32(nodes.count)
        nodes.append(Node(index: n, spec: spec))
        usage.append(NodeUsage(spec))
        nodeImageBits.append(contentsOf: repeatElement(0, count: imageWords))
        for image in spec.images {
            let id = imageIDs[image]!
            nodeImageBits[Int(n) * imageWords + id / 64] |= 1 << UInt64(id % 64)
            imageNodeCount[id] += 1
        }
        capacity += spec.allocatable
        if !spec.taints.isEmpty { taintedNodes += 1 }
        liveNodes.append(n)
        network.addNode(n, name: spec.name, nicBitsPerSecond: spec.nicBandwidth, zone: spec.zone)
        return n
    }

    /// Adds a node (its images must be known to the cluster); returns its index. Emits `nodeAdd`.
    @discardableResult
    public func addNode(_ spec: NodeSpec) -> Int32 {
        precondition(spec.images.allSatisfy { imageIDs[$0] != nil }, "a new node's images are declared when the cluster is made")
        let n = appendNode(spec)
        nodeVersion += 1
        emit(.nodeAdd(n))
        return n
    }

    /// Live nodes of group `name`.
    public func nodes(inGroup name: String) -> [Int32] {
        liveNodes.filter { nodes[Int($0)].spec.nodeGroup == name }
    }

    /// Adds a node to group `name` from its template (named `<group>-<k>`, `k` counting every node the
    /// group ever had); nil when the group is at its maximum size or unknown.
    @discardableResult
    public func addNode(toGroup name: String) -> Int32? {
        guard let group = nodeGroups[name], nodes(inGroup: name).count < group.maxSize else { return nil }
        var spec = group.template
        let k = nodes.reduce(0) { $0 + ($1.spec.nodeGroup == name ? 1 : 0) }
        spec.name = "\(name)-\(k)"
        spec.labels[WellKnownLabels.hostname] = spec.name
        return addNode(spec)
    }

    /// Cordons (`true`) or uncordons a node. Emits `nodeUpdate(.schedulable)` when it changes.
    public func setUnschedulable(_ node: Int32, _ unschedulable: Bool) {
        let n = Int(node)
        guard nodes[n].spec.unschedulable != unschedulable, !nodes[n].isDeleted else { return }
        nodes[n].spec.unschedulable = unschedulable
        usage[n].unschedulable = unschedulable
        nodeVersion += 1
        emit(.nodeUpdate(node, .schedulable))
    }

    /// Deletes a node that no pod is bound to any more (delete or evict them first). Its index is
    /// never reused; it leaves `liveNodes`, the capacity and the network. Emits `nodeDelete`.
    public func deleteNode(_ node: Int32) {
        let n = Int(node)
        precondition(!nodes[n].isDeleted, "node deleted twice")
        precondition(nodes[n].pods.isEmpty, "a node is deleted after its pods")
        nodes[n].isDeleted = true
        if usage[n].hasTaints { taintedNodes -= 1 }
        liveNodes.removeAll { $0 == node }
        capacity -= nodes[n].spec.allocatable
        for id in 0..<imageSizeByID.count where nodeHasImage(node, id: id) {
            imageNodeCount[id] -= 1
            nodeImageBits[n * imageWords + id / 64] &= ~(1 << UInt64(id % 64))
        }
        // Nothing fits on a deleted node, whatever reads its usage.
        usage[n] = NodeUsage(NodeSpec(name: nodes[n].spec.name, allocatable: .zero, maxPods: 0, unschedulable: true))
        network.disconnect(node)
        nodeVersion += 1
        emit(.nodeDelete(node))
    }

    /// Runs `body` with a hypothetical node of `spec` added (index passed in), then removes it without
    /// a trace: nothing is emitted, and the node is not in `liveNodes` while `body` runs.
    public func withHypotheticalNode<T>(_ spec: NodeSpec, _ body: (Int32) -> T) -> T {
        precondition(spec.images.allSatisfy { imageIDs[$0] != nil }, "a template's images are declared when the cluster is made")
        let n = appendNode(spec)
        liveNodes.removeLast()
        defer {
            for image in spec.images { imageNodeCount[imageIDs[image]!] -= 1 }
            nodes.removeLast()
            usage.removeLast()
            nodeImageBits.removeLast(imageWords)
            capacity -= spec.allocatable
            if !spec.taints.isEmpty { taintedNodes -= 1 }
            network.removeLastNode()
        }
        return body(n)
    }
}
