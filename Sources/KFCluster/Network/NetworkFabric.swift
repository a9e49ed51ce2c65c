/// The cluster's network as links with capacities: each node's NIC (an egress and an ingress link at
/// its bandwidth) and links that services add (a storage service's front end, say). Transfers of
/// training jobs, pipelines and storage are flows over these links, shared max-min fairly.
public final class NetworkFabric {
    /// Capacity of each link in bytes per second.
    public private(set) var capacities: [Double] = []
    /// Name of each link (`<node>/egress`, `<node>/ingress`, or the name it was added with).
    public private(set) var linkNames: [String] = []
    private var egressLink: [Int32] = []
    private var ingressLink: [Int32] = []
    /// Each zone's uplink (egress and ingress), when zones have one; each node's zone (-1: none).
    private var zoneLinks: [(egress: Int32, ingress: Int32)] = []
    private var zoneIndex: [String: Int] = [:]
    private var zoneOf: [Int] = []
    /// The zone each node opened (its links added with it), -1 for none: taken away with the node.
    private var zoneOpened: [Int] = []
    /// The bandwidth of every zone's uplink in bits per second (nil: zones are not a bottleneck). Set
    /// before nodes join: traffic between nodes of two zones then crosses both zones' uplinks.
    public var zoneUplinkBitsPerSecond: Double?

    /// An empty network.
    public init() {}

    /// Adds a link of `bytesPerSecond`; returns its index.
    @discardableResult
    public func addLink(name: String, bytesPerSecond: Double) -> Int32 {
        capacities.append(bytesPerSecond)
        linkNames.append(name)
        return Int32(capacities.count - 1)
    }

    /// Gives node `index` (the next one) its NIC links.
    func addNode(_ index: Int32, name: String, nicBitsPerSecond: Double, zone: String? = nil) {
        precondition(Int(index) == egressLink.count, "nodes join the network in index order")
        var opened = -1
        if let uplink = zoneUplinkBitsPerSecond, let zone {
            if zoneIndex[zone] == nil {
                opened = zoneLinks.count
                zoneIndex[zone] = zoneLinks.count
                zoneLinks.append((addLink(name: "zone \(zone)/egress", bytesPerSecond: uplink / 8),
                                  addLink(name: "zone \(zone)/ingress", bytesPerSecond: uplink / 8)))
            }
            zoneOf.append(zoneIndex[zone]!)
        } else {
            zoneOf.append(-1)
        }
        zoneOpened.append(opened)
        egressLink.append(addLink(name: "\(name)/egress", bytesPerSecond: nicBitsPerSecond / 8))
        ingressLink.append(addLink(name: "\(name)/ingress", bytesPerSecond: nicBitsPerSecond / 8))
    }

    /// Removes the last node's NIC links (a hypothetical node added and taken away again); they must
    /// be the last links.
    func removeLastNode() {
        egressLink.removeLast()
        ingressLink.removeLast()
        capacities.removeLast(2)
        linkNames.removeLast(2)
        zoneOf.removeLast()
        // The node opened its zone: the zone's uplink goes too (added just before the node's links).
        let opened = zoneOpened.removeLast()
        if opened >= 0 {
            precondition(opened == zoneLinks.count - 1 && Int(zoneLinks[opened].ingress) == capacities.count - 1,
                         "a zone's uplink is removed with the node that opened it, last")
            if let name = zoneIndex.first(where: { $0.value == opened })?.key { zoneIndex.removeValue(forKey: name) }
            zoneLinks.removeLast()
            capacities.removeLast(2)
            linkNames.removeLast(2)
        }
    }

    /// A deleted node's NIC carries nothing.
    func disconnect(_ node: Int32) {
        capacities[Int(egressLink[Int(node)])] = 0
        capacities[Int(ingressLink[Int(node)])] = 0
    }

    /// The egress link of `node`'s NIC.
    public func egress(of node: Int32) -> Int32 { egressLink[Int(node)] }
    /// The ingress link of `node`'s NIC.
    public func ingress(of node: Int32) -> Int32 { ingressLink[Int(node)] }

    /// The flow of a transfer from node `source` to node `destination`.
    public func flow(from source: Int32, to destination: Int32) -> MaxMinFairShare.LinkFlow {
        let a = zoneOf[Int(source)], b = zoneOf[Int(destination)]
        if a >= 0 && b >= 0 && a != b {
            return MaxMinFairShare.LinkFlow(egressLink[Int(source)], ingressLink[Int(destination)], zoneLinks[a].egress, zoneLinks[b].ingress)
        }
        return MaxMinFairShare.LinkFlow(egressLink[Int(source)], ingressLink[Int(destination)])
    }

    /// Max-min fair rates of `flows` in bytes per second.
    public func rates(_ flows: [MaxMinFairShare.LinkFlow]) -> [Double] {
        MaxMinFairShare.rates(flows, capacities: capacities)
    }
}
