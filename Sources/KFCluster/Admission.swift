/// The resources of an admitted pod, after LimitRange defaults.
public struct PodResources: Equatable, Sendable {
    /// Effective containers (requests and limits after defaults).
    public var containers: [ContainerSpec]
    /// Sum of requests (what the scheduler's filters and quota count).
    public var requests: Resources
    /// Sum of CPU limits in millicores; nil when a container has no CPU limit.
    public var limitCPU: Int64?
    /// Sum of memory limits in bytes; nil when a container has no memory limit.
    public var limitMemory: Int64?
    /// Requests as scoring sees them: a container without a CPU or memory request counts as
    /// 100m CPU and 200 MiB (kube-scheduler `GetNonzeroRequests`).
    public var scoringRequests: Resources
}

/// Admission of pod creations: LimitRange defaulting, then ResourceQuota.
public enum Admission {
    /// CPU a container without a request counts as when scoring.
    public static let defaultScoringCPU: Int64 = 100
    /// Memory a container without a request counts as when scoring.
    public static let defaultScoringMemory: Int64 = 200 * 1024 * 1024

    /// Why a creation was refused.
    public struct Refusal: Error, Equatable, Sendable {
        /// The API server's message.
        public var message: String
        /// True when retrying can never succeed (missing fields, or the pod alone exceeds the quota).
        public var permanent: Bool
    }

    /// Applies a LimitRange's defaults to a container: missing limits from `default`, missing requests
    /// from `defaultRequest`, else from the (possibly defaulted) limit.
    public static func applyDefaults(_ container: ContainerSpec, limitRange: LimitRange?) -> ContainerSpec {
        var c = container
        // API defaulting first: a limit given without its request makes the request equal the limit
        // (so such a container never gets `defaultRequest`).
        c.requests = c.requests.filled(from: container.limits)
        if let lr = limitRange {
            c.limits = c.limits.filled(from: lr.defaultLimits)
            c.requests = c.requests.filled(from: lr.defaultRequests)
        }
        // A defaulted limit without a request: the request equals that limit.
        c.requests = c.requests.filled(from: c.limits)
        return c
    }

    /// The effective resources of a pod created in a namespace with `limitRange`.
    public static func resources(of spec: PodSpec, limitRange: LimitRange?) -> PodResources {
        // Written only where defaulting changes something: pods whose containers need no default share
        // their template's container list (a million pods then hold one list, not a million).
        var containers = spec.containers
        for i in containers.indices {
            // Defaulting changes requests and limits only (names and images are not compared).
            let defaulted = applyDefaults(containers[i], limitRange: limitRange)
            if defaulted.requests != containers[i].requests || defaulted.limits != containers[i].limits { containers[i] = defaulted }
        }
        var requests = Resources.zero
        var scoring = Resources.zero
        var limitCPU: Int64? = 0
        var limitMemory: Int64? = 0
        for c in containers {
            requests += c.requests.orZero
            scoring.cpu += c.requests.cpu ?? defaultScoringCPU
            scoring.memory += c.requests.memory ?? defaultScoringMemory
            scoring.gpu += c.requests.gpu ?? 0
            limitCPU = c.limits.cpu.flatMap { v in limitCPU.map { $0 + v } }
            limitMemory = c.limits.memory.flatMap { v in limitMemory.map { $0 + v } }
        }
        return PodResources(containers: containers, requests: requests, limitCPU: limitCPU, limitMemory: limitMemory,
                            scoringRequests: scoring)
    }

    /// API validation after defaulting: a container's request may not exceed its limit (a LimitRange
    /// default limit below a given or default request makes the pod invalid, as on a real cluster).
    public static func validate(_ pod: PodResources, name: String) -> Refusal? {
        func invalid(_ i: Int, _ resource: String, _ request: Int64, _ limit: Int64) -> Refusal {
            Refusal(message: "Pod \"\(name)\" is invalid: spec.containers[\(i)].resources.requests: Invalid value: \(request): must be less than or equal to \(resource) limit \(limit)",
                    permanent: true)
        }
        for (i, c) in pod.containers.enumerated() {
            if let request = c.requests.cpu, let limit = c.limits.cpu, request > limit { return invalid(i, "cpu", request, limit) }
            if let request = c.requests.memory, let limit = c.limits.memory, request > limit { return invalid(i, "memory", request, limit) }
        }
        return nil
    }

    /// Checks a pod against its namespace's quota given current usage; nil when admitted.
    public static func checkQuota(_ pod: PodResources, quota: ResourceQuota?, usage: QuotaUsage,
                                  namespace: String) -> Refusal? {
        guard let quota else { return nil }
        var missing: [String] = []
        for c in pod.containers {
            if quota.requestsCPU != nil && c.requests.cpu == nil { missing.append("requests.cpu") }
            if quota.requestsMemory != nil && c.requests.memory == nil { missing.append("requests.memory") }
            if quota.limitsCPU != nil && c.limits.cpu == nil { missing.append("limits.cpu") }
            if quota.limitsMemory != nil && c.limits.memory == nil { missing.append("limits.memory") }
        }
        if !missing.isEmpty {
            var seen = Set<String>()
            let names = missing.filter { seen.insert($0).inserted }.joined(separator: ",")
            return Refusal(message: "failed quota: \(namespace)-quota: must specify \(names)", permanent: true)
        }
        struct Check { let key: String; let want: Int64; let used: Int64; let hard: Int64? }
        let checks = [
            Check(key: "requests.cpu", want: pod.requests.cpu, used: usage.requests.cpu, hard: quota.requestsCPU),
            Check(key: "requests.memory", want: pod.requests.memory, used: usage.requests.memory, hard: quota.requestsMemory),
            Check(key: "limits.cpu", want: pod.limitCPU ?? 0, used: usage.limitsCPU, hard: quota.limitsCPU),
            Check(key: "limits.memory", want: pod.limitMemory ?? 0, used: usage.limitsMemory, hard: quota.limitsMemory),
            Check(key: "requests.nvidia.com/gpu", want: pod.requests.gpu, used: usage.requests.gpu, hard: quota.requestsGPU),
            Check(key: "pods", want: 1, used: usage.pods, hard: quota.pods),
        ]
        var exceeded: [Check] = []
        for check in checks {
            guard let hard = check.hard else { continue }
            // Written so that no sum can overflow (usage never exceeds a hard limit it is checked against).
            if check.want > hard || check.used > hard - check.want { exceeded.append(check) }
        }
        guard !exceeded.isEmpty else { return nil }
        let permanent = exceeded.contains { $0.want > $0.hard! }
        let requested = exceeded.map { "\($0.key)=\($0.want)" }.joined(separator: ",")
        let used = exceeded.map { "\($0.key)=\($0.used)" }.joined(separator: ",")
        let limited = exceeded.map { "\($0.key)=\($0.hard!)" }.joined(separator: ",")
        return Refusal(message: "exceeded quota: \(namespace)-quota, requested: \(requested), used: \(used), limited: \(limited)",
                       permanent: permanent)
    }

    /// Adds (`sign` = 1) or removes (`sign` = -1) a pod's share of quota usage.
    /// Sums saturate (far beyond any quota the scenario bounds allow), so that usage of a resource no
    /// quota limits cannot overflow.
    public static func account(_ pod: PodResources, into usage: inout QuotaUsage, sign: Int64) {
        account(requests: pod.requests, limitCPU: pod.limitCPU, limitMemory: pod.limitMemory, into: &usage, sign: sign)
    }

    /// `account` from a pod's requests and limits alone.
    public static func account(requests: Resources, limitCPU: Int64?, limitMemory: Int64?, into usage: inout QuotaUsage, sign: Int64) {
        func add(_ a: inout Int64, _ b: Int64) {
            let (s, overflow) = a.addingReportingOverflow(sign * b)
            a = overflow ? (b > 0 ? Int64.max / 2 : Int64.min / 2) : s
        }
        add(&usage.requests.cpu, requests.cpu)
        add(&usage.requests.memory, requests.memory)
        add(&usage.requests.gpu, requests.gpu)
        add(&usage.limitsCPU, limitCPU ?? 0)
        add(&usage.limitsMemory, limitMemory ?? 0)
        usage.pods += sign
    }
}
