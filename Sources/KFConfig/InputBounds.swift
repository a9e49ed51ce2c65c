/// The largest values kfsim accepts from any input (scenario, manifests, traces, `--set`).
///
/// Chosen so that no sum or product the simulator forms can overflow a 64-bit integer, and so that
/// a value that would stretch a run beyond what can be simulated is refused with its location
/// instead of trapping, allocating without bound or never ending:
/// - node sums: 100,000 nodes x 10^9 millicores, x 2^46 bytes (7.0e18 < 9.2e18), x 10^6 GPUs;
/// - quota sums: 2,000,000 pods x 2^42 bytes (8.8e18);
/// - scores: (allocatable - requested) x 100 on at most 10^9 millicores or 2^46 bytes;
/// - times: 10^9 s (31.7 years) in integer microseconds is 10^15, far from 9.2e18.
public enum InputBounds {
    /// CPU of one node, quota or pod, millicores (1,000,000 cores).
    public static let cpuMilli: Int64 = 1_000_000_000
    /// Memory of one node, bytes (64 TiB).
    public static let nodeMemory: Int64 = 1 << 46
    /// Memory of one pod (the sum of its containers), bytes (4 TiB).
    public static let podMemory: Int64 = 1 << 42
    /// Any other byte size (images, model sizes, quotas), bytes (1 PiB).
    public static let bytes: Int64 = 1 << 50
    /// GPUs of one node, quota or pod.
    public static let gpus: Int64 = 1_000_000
    /// Pods per node (`pods` allocatable) and pods in a quota.
    public static let podsPerNode: Int64 = 1_000_000
    /// Any duration, seconds (31.7 years).
    public static let seconds: Double = 1e9
    /// Nodes in a cluster.
    public static let nodes = 100_000
    /// Pods a scenario may create in all (arrivals x pods per job, summed over workloads).
    public static let pods = 2_000_000
    /// Bandwidths, bytes per second (1 PB/s).
    public static let bandwidth: Double = 1e15
}
