/// An amount of each schedulable resource: CPU in millicores, memory in bytes, whole GPUs.
public struct Resources: Equatable, Hashable, Sendable {
    /// CPU in millicores.
    public var cpu: Int64
    /// Memory in bytes.
    public var memory: Int64
    /// `nvidia.com/gpu` devices.
    public var gpu: Int64

    /// Nothing.
    public static let zero = Resources(cpu: 0, memory: 0, gpu: 0)

    /// An amount.
    @inlinable
    public init(cpu: Int64 = 0, memory: Int64 = 0, gpu: Int64 = 0) {
        self.cpu = cpu
        self.memory = memory
        self.gpu = gpu
    }

    @inlinable
    public static func + (a: Resources, b: Resources) -> Resources {
        Resources(cpu: a.cpu + b.cpu, memory: a.memory + b.memory, gpu: a.gpu + b.gpu)
    }

    @inlinable
    public static func - (a: Resources, b: Resources) -> Resources {
        Resources(cpu: a.cpu - b.cpu, memory: a.memory - b.memory, gpu: a.gpu - b.gpu)
    }

    @inlinable
    public static func += (a: inout Resources, b: Resources) { a = a + b }

    @inlinable
    public static func -= (a: inout Resources, b: Resources) { a = a - b }

    /// Whether every component is at most the corresponding one of `capacity`.
    @inlinable
    public func fits(in capacity: Resources) -> Bool {
        cpu <= capacity.cpu && memory <= capacity.memory && gpu <= capacity.gpu
    }
}

/// Per-resource values that may be absent (a container's requests or limits as written).
public struct OptionalResources: Equatable, Hashable, Sendable {
    /// CPU in millicores, if given.
    public var cpu: Int64?
    /// Memory in bytes, if given.
    public var memory: Int64?
    /// GPUs, if given.
    public var gpu: Int64?

    /// Values, any of them absent.
    public init(cpu: Int64? = nil, memory: Int64? = nil, gpu: Int64? = nil) {
        self.cpu = cpu
        self.memory = memory
        self.gpu = gpu
    }

    /// Whether no value is given.
    public var isEmpty: Bool { cpu == nil && memory == nil && gpu == nil }

    /// Absent values taken as zero.
    public var orZero: Resources { Resources(cpu: cpu ?? 0, memory: memory ?? 0, gpu: gpu ?? 0) }

    /// Each value of `self`, or of `fallback` where `self` has none.
    public func filled(from fallback: OptionalResources) -> OptionalResources {
        OptionalResources(cpu: cpu ?? fallback.cpu, memory: memory ?? fallback.memory, gpu: gpu ?? fallback.gpu)
    }
}
