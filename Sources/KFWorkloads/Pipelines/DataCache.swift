import KFEngine

/// A distributed in-memory data cache on the nodes (Alluxio, JuiceFS or Fluid style), file-granular:
/// each node keeps whole datasets up to its capacity; a read is served from the node's own memory,
/// from a peer node's cache over the network, or from the object store, after which the dataset is
/// cached on the reading node (evicting by LRU or LFU what no read is using, when it fits at all).
public final class DataCache {
    /// Which entry leaves first.
    public enum Eviction: String, Sendable, CaseIterable { case lru, lfu }

    struct Entry {
        var size: Double
        var lastUse: SimTime
        var uses: Int
    }

    /// Where a read is served from.
    public enum Source: Equatable {
        case local, peer(Int32), store
    }

    /// Bytes each node may cache.
    public let capacity: Double
    /// The eviction policy.
    public let eviction: Eviction
    /// Pipeline-aware precaching: datasets of steps about to run are fetched ahead, and data a pending
    /// step needs is evicted last.
    public let precache: Bool
    /// Whether a pending step needs a dataset (set by the pipeline controller).
    var isNeeded: (String) -> Bool = { _ in false }
    /// Prefetches started and bytes they moved.
    public private(set) var prefetches = 0, bytesPrefetched = 0.0
    private var entries: [Int32: [String: Entry]] = [:]
    private var used: [Int32: Double] = [:]
    /// Counters (`summary.json`, `tasks.csv`).
    public private(set) var localHits = 0, peerHits = 0, misses = 0, evictions = 0
    /// Bytes read from the store and from peers.
    public private(set) var bytesFromStore = 0.0, bytesFromPeers = 0.0

    /// A cache of `capacity` bytes per node.
    public init(capacity: Double, eviction: Eviction, precache: Bool = false) {
        self.capacity = capacity
        self.eviction = eviction
        self.precache = precache
    }

    /// Where to prefetch a dataset of `size` (nil: it is cached somewhere already, or fits nowhere):
    /// the node with the most free room (the lowest index among ties).
    func prefetchTarget(_ dataset: String, size: Double, nodes: [Int32]) -> Int32? {
        guard size <= capacity, !entries.values.contains(where: { $0[dataset] != nil }),
              let target = nodes.max(by: { (capacity - (used[$0] ?? 0), -Int($0)) < (capacity - (used[$1] ?? 0), -Int($1)) }) else { return nil }
        // Counted only once there is a node to prefetch into.
        prefetches += 1
        bytesPrefetched += size
        bytesFromStore += size
        return target
    }

    /// Where node `node` reads `dataset` from now (the lowest-indexed peer holding it when not local).
    public func source(of dataset: String, for node: Int32, size: Double) -> Source {
        if entries[node]?[dataset] != nil {
            localHits += 1
            return .local
        }
        if let peer = entries.keys.sorted().first(where: { $0 != node && entries[$0]?[dataset] != nil }) {
            peerHits += 1
            bytesFromPeers += size
            return .peer(peer)
        }
        misses += 1
        bytesFromStore += size
        return .store
    }

    /// `node` used `dataset` now (a read ended there): it is cached there, or refreshed.
    public func use(_ dataset: String, size: Double, on node: Int32, now: SimTime) {
        if var e = entries[node]?[dataset] {
            e.lastUse = now
            e.uses += 1
            entries[node]![dataset] = e
            return
        }
        guard size <= capacity else { return }
        while (used[node] ?? 0) + size > capacity, let victim = victim(on: node) {
            used[node, default: 0] -= entries[node]![victim]!.size
            entries[node]![victim] = nil
            evictions += 1
        }
        entries[node, default: [:]][dataset] = Entry(size: size, lastUse: now, uses: 1)
        used[node, default: 0] += size
    }

    /// Whether `node` holds `dataset`.
    public func holds(_ dataset: String, on node: Int32) -> Bool { entries[node]?[dataset] != nil }

    /// The entry to evict from `node`: least recently used, or least frequently (then least recently).
    private func victim(on node: Int32) -> String? {
        guard var list = entries[node], !list.isEmpty else { return nil }
        // Data a pending step needs goes last (precaching).
        if precache, list.keys.contains(where: { !isNeeded($0) }) { list = list.filter { !isNeeded($0.key) } }
        switch eviction {
        case .lru: return list.min { ($0.value.lastUse, $0.key) < ($1.value.lastUse, $1.key) }?.key
        case .lfu: return list.min { ($0.value.uses, $0.value.lastUse, $0.key) < ($1.value.uses, $1.value.lastUse, $1.key) }?.key
        }
    }
}
