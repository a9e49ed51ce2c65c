/// NVIDIA GPU models as training sees them: dense FP16 tensor throughput (what mixed-precision training
/// is bound by) and the bandwidth between two GPUs of one node, per direction: NVLink on SXM boards,
/// PCIe otherwise. Figures from NVIDIA's data sheets: T4 (65 TFLOPS FP16 tensor, PCIe Gen3 x16), V100
/// SXM2 (125 TFLOPS, NVLink 300 GB/s total), V100 PCIe (112 TFLOPS, Gen3), A10 (125 TFLOPS, Gen4), L4
/// (121 TFLOPS, Gen4), A100 SXM4 (312 TFLOPS, NVLink 600 GB/s total), A100 PCIe (312 TFLOPS, Gen4), H100
/// SXM5 (989 TFLOPS, NVLink 900 GB/s total), H100 PCIe (756 TFLOPS, Gen5). PCIe x16 per direction:
/// Gen3 16 GB/s, Gen4 32 GB/s, Gen5 64 GB/s; NVLink per direction half the total.
///
/// A node's model is its `nvidia.com/gpu.product` label as NVIDIA's GPU feature discovery writes it
/// (`Tesla-V100-SXM2-16GB`, `NVIDIA-A100-SXM4-80GB`, `NVIDIA-H100-80GB-HBM3`, `Tesla-T4`, ...).
public struct GPUModel: Equatable, Sendable {
    /// The family name profiles use (`T4`, `V100`, `A10`, `L4`, `A100`, `H100`).
    public var family: String
    /// Dense FP16 tensor TFLOPS.
    public var tflops: Double
    /// Bytes per second between two GPUs of one node, one direction.
    public var peerBandwidth: Double
    /// Whether the GPUs of a node talk over NVLink.
    public var nvlink: Bool

    /// The node label naming a node's GPU model.
    public static let productLabel = "nvidia.com/gpu.product"

    /// Families in the table, with their SXM (NVLink) and PCIe figures.
    static let table: [(family: String, sxm: Double?, pcie: Double, nvlinkTotal: Double?, pcieGen: Int)] = [
        ("T4", nil, 65, nil, 3), ("V100", 125, 112, 300e9, 3), ("A10", nil, 125, nil, 4), ("L4", nil, 121, nil, 4),
        ("A100", 312, 312, 600e9, 4), ("H100", 989, 756, 900e9, 5),
    ]

    private static let byNameLength = table.sorted { $0.family.count > $1.family.count }

    /// Families known, for error messages.
    public static var families: [String] { table.map(\.family) }

    /// The model named by a `nvidia.com/gpu.product` label (or a bare family name); nil if unknown.
    /// Boards of families that come as SXM use NVLink unless the name says PCIe; the others use PCIe.
    public static func named(_ product: String) -> GPUModel? {
        let upper = product.uppercased()
        let tokens = Set(upper.split(whereSeparator: { $0 == "-" || $0 == "_" || $0 == " " }).map(String.init))
        // Longer names first, so that A100 is not taken for A10.
        for entry in byNameLength where tokens.contains(entry.family) {
            let sxm = entry.sxm != nil && !upper.contains("PCIE")
            let pcie = Double(16 << (entry.pcieGen - 3)) * 1e9
            if sxm, let t = entry.sxm, let link = entry.nvlinkTotal {
                return GPUModel(family: entry.family, tflops: t, peerBandwidth: link / 2, nvlink: true)
            }
            return GPUModel(family: entry.family, tflops: entry.pcie, peerBandwidth: pcie, nvlink: false)
        }
        return nil
    }

    /// Seconds per sample on this model from a profile's per-model figures: the model's own entry if
    /// given, else the first entry's family scaled by the ratio of their throughputs.
    public func secondsPerSample(_ perModel: [GPUTime]) -> Double? {
        if let own = perModel.first(where: { $0.family.uppercased() == family }) { return own.seconds }
        guard let ref = perModel.first, let refModel = GPUModel.named(ref.family) else { return nil }
        return ref.seconds * refModel.tflops / tflops
    }
}

/// A profile's compute per sample on one GPU model (seconds on one GPU).
public struct GPUTime: Equatable, Sendable {
    /// The GPU family (`A100`, ...).
    public var family: String
    /// Seconds per sample on one GPU of that family.
    public var seconds: Double
    /// An entry.
    public init(family: String, seconds: Double) {
        self.family = family
        self.seconds = seconds
    }
}
