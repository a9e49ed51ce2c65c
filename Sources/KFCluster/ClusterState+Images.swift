import KFEngine

/// Images on nodes: pulls queue on a node's kubelet, and an image counts as present on the node (for
/// ImageLocality, which reads node status) only once its pull has finished.
extension ClusterState {
    /// Starts pulling the pod's missing images on its node at `start`. Returns when all are ready, and
    /// the pulls started (known images only), each with its end: call `imagePulled` then. Pulls on a
    /// node run one after another at its pull bandwidth; an image another pod is already pulling is
    /// waited for, not pulled twice.
    public func pullImages(_ id: PodID, from start: SimTime) -> (ready: SimTime, pulls: [(image: Int, at: SimTime)]) {
        let n = Int(pods[Int(id)].node)
        var ready = start
        var pulls: [(image: Int, at: SimTime)] = []
        let containers = pods[Int(id)].spec.containers
        // A known image the node holds (from the start, or pulled and reported by now) adds nothing: its
        // pull ended before `start`.
        let ids = knownImageIDs(of: containers)
        for (k, c) in containers.enumerated() where !c.image.isEmpty {
            if ids[k] >= 0 && nodeHasImage(Int32(n), id: ids[k]) { continue }
            if nodes[n].spec.images.contains(c.image) { continue }
            if let at = nodes[n].imageReadyAt[c.image] {
                ready = max(ready, at)
                continue
            }
            let bytes = imageSizes[c.image] ?? 0
            let begin = max(start, nodes[n].pullBusyUntil)
            let done = begin + Clock.micros(seconds: Double(bytes) / nodes[n].spec.imagePullBandwidth)
            nodes[n].pullBusyUntil = done
            nodes[n].imageReadyAt[c.image] = done
            if ids[k] >= 0 { pulls.append((ids[k], done)) }
            ready = max(ready, done)
        }
        return (ready, pulls)
    }

    /// The ids of `containers`' images known to the cluster (one per container; -1 when unknown). Pods of
    /// one template share its container list, so the names are looked up once per template in a row.
    public func knownImageIDs(of containers: [ContainerSpec]) -> [Int] {
        // No image is known to the cluster: every container's is unknown (no comparison, no new list).
        if imageIDs.isEmpty {
            if imageIDsOfLast.count != containers.count || !imageIDsOf.isEmpty {
                imageIDsOf = []
                imageIDsOfLast = Array(repeating: -1, count: containers.count)
            }
            return imageIDsOfLast
        }
        if containers != imageIDsOf {
            imageIDsOf = containers
            imageIDsOfLast = containers.map { imageIDs[$0.image] ?? -1 }
        }
        return imageIDsOfLast
    }

    /// The pull of known image `image` on `node` has finished: the node reports it.
    public func imagePulled(node: Int32, image: Int) {
        guard !nodes[Int(node)].isDeleted, !nodeHasImage(node, id: image) else { return }
        nodeImageBits[Int(node) * imageWords + image / 64] |= 1 << UInt64(image % 64)
        imageNodeCount[image] += 1
        if logsUsageChanges { usageLog.append(node) }
    }

    /// Whether `node` holds the known image `id` (present from the start, or pulled).
    @inline(__always)
    public func nodeHasImage(_ node: Int32, id: Int) -> Bool {
        nodeImageBits[Int(node) * imageWords + id / 64] & (1 << UInt64(id % 64)) != 0
    }
}
