/// A ResourceQuota's `hard` limits; absent entries are unlimited.
public struct ResourceQuota: Equatable, Sendable {
    /// `requests.cpu` (or `cpu`) in millicores.
    public var requestsCPU: Int64?
    /// `requests.memory` (or `memory`) in bytes.
    public var requestsMemory: Int64?
    /// `limits.cpu` in millicores.
    public var limitsCPU: Int64?
    /// `limits.memory` in bytes.
    public var limitsMemory: Int64?
    /// `requests.nvidia.com/gpu`.
    public var requestsGPU: Int64?
    /// `pods`.
    public var pods: Int64?

    /// The quota keys kfsim reads, for error messages.
    public static let acceptedKeys = ["requests.cpu", "cpu", "requests.memory", "memory", "limits.cpu", "limits.memory",
                                      "requests.nvidia.com/gpu", "pods"]

    /// A quota.
    public init(requestsCPU: Int64? = nil, requestsMemory: Int64? = nil, limitsCPU: Int64? = nil,
                limitsMemory: Int64? = nil, requestsGPU: Int64? = nil, pods: Int64? = nil) {
        self.requestsCPU = requestsCPU
        self.requestsMemory = requestsMemory
        self.limitsCPU = limitsCPU
        self.limitsMemory = limitsMemory
        self.requestsGPU = requestsGPU
        self.pods = pods
    }
}

/// A LimitRange of type Container: defaults for missing requests and limits.
public struct LimitRange: Equatable, Sendable {
    /// `default`: limits given to containers that have none.
    public var defaultLimits: OptionalResources
    /// `defaultRequest`: requests given to containers that have none.
    public var defaultRequests: OptionalResources

    /// A LimitRange.
    public init(defaultLimits: OptionalResources = .init(), defaultRequests: OptionalResources = .init()) {
        self.defaultLimits = defaultLimits
        self.defaultRequests = defaultRequests
    }
}

/// A namespace with its optional quota and LimitRange.
public struct NamespaceSpec: Equatable, Sendable {
    /// Name.
    public var name: String
    /// ResourceQuota, if any.
    public var quota: ResourceQuota?
    /// LimitRange, if any.
    public var limitRange: LimitRange?

    /// A namespace.
    public init(name: String, quota: ResourceQuota? = nil, limitRange: LimitRange? = nil) {
        self.name = name
        self.quota = quota
        self.limitRange = limitRange
    }
}

/// What a namespace's non-terminal pods hold against its quota.
public struct QuotaUsage: Equatable, Sendable {
    /// Sum of requests.
    public var requests: Resources = .zero
    /// Sum of CPU limits (millicores).
    public var limitsCPU: Int64 = 0
    /// Sum of memory limits (bytes).
    public var limitsMemory: Int64 = 0
    /// Number of pods.
    public var pods: Int64 = 0

    /// No usage.
    public init() {}
}
