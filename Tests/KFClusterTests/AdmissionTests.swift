import Testing
@testable import KFCluster

@Suite struct AdmissionTests {
    let gi: Int64 = 1 << 30

    @Test func limitRangeDefaultsFillMissingValues() {
        let lr = LimitRange(defaultLimits: OptionalResources(cpu: 1000, memory: gi), defaultRequests: OptionalResources(cpu: 250))
        // Nothing given: limits from default, cpu request from defaultRequest, memory request = limit.
        let a = Admission.applyDefaults(ContainerSpec(), limitRange: lr)
        #expect(a.limits == OptionalResources(cpu: 1000, memory: gi))
        #expect(a.requests == OptionalResources(cpu: 250, memory: gi))
        // Only a limit given, no LimitRange: request = limit.
        let b = Admission.applyDefaults(ContainerSpec(limits: OptionalResources(cpu: 2000)), limitRange: nil)
        #expect(b.requests.cpu == 2000)
        // A request given stays.
        let c = Admission.applyDefaults(ContainerSpec(requests: OptionalResources(cpu: 100)), limitRange: lr)
        #expect(c.requests.cpu == 100 && c.limits.cpu == 1000)
    }

    @Test func scoringRequestsUseNonZeroDefaults() {
        let spec = PodSpec(name: "p", containers: [ContainerSpec(), ContainerSpec(requests: OptionalResources(cpu: 500))], work: .forever)
        let r = Admission.resources(of: spec, limitRange: nil)
        #expect(r.requests == Resources(cpu: 500, memory: 0))
        #expect(r.scoringRequests == Resources(cpu: 600, memory: 2 * 200 * 1024 * 1024))
        #expect(r.limitCPU == nil)
    }

    @Test func quotaRefusesWhatWouldExceedItAndCountsPending() {
        let ns = NamespaceSpec(name: "team", quota: ResourceQuota(requestsCPU: 2000, pods: 3))
        let cluster = ClusterState(nodes: [NodeSpec(name: "n", allocatable: Resources(cpu: 1000, memory: gi))], namespaces: [ns])
        func pod(_ i: Int) -> PodSpec {
            PodSpec(name: "p\(i)", namespace: "team", containers: [ContainerSpec(requests: OptionalResources(cpu: 800))], work: .forever)
        }
        // Pending pods count: the node is too small for two, yet quota admits two (1600m).
        guard case .success = cluster.create(pod(0), owner: OwnerRef(controller: -1, job: -1), now: 0),
              case .success = cluster.create(pod(1), owner: OwnerRef(controller: -1, job: -1), now: 0) else {
            Issue.record("first two pods should be admitted"); return
        }
        guard case .failure(let refusal) = cluster.create(pod(2), owner: OwnerRef(controller: -1, job: -1), now: 0) else {
            Issue.record("third pod should be refused"); return
        }
        #expect(refusal.message == "exceeded quota: team-quota, requested: requests.cpu=800, used: requests.cpu=1600, limited: requests.cpu=2000")
        #expect(!refusal.permanent)
        // A terminated pod releases its share.
        cluster.finish(0, now: 1, termination: .failed)
        guard case .success = cluster.create(pod(3), owner: OwnerRef(controller: -1, job: -1), now: 1) else {
            Issue.record("quota should admit after a release"); return
        }
        #expect(cluster.quotaUsage[Int(cluster.namespace(named: "team")!)].requests.cpu == 1600)
    }

    @Test func quotaRefusalsThatCanNeverSucceedArePermanent() {
        let quota = ResourceQuota(requestsCPU: 1000)
        let big = Admission.resources(of: PodSpec(name: "big", containers: [ContainerSpec(requests: OptionalResources(cpu: 1500))], work: .forever), limitRange: nil)
        #expect(Admission.checkQuota(big, quota: quota, usage: QuotaUsage(), namespace: "ns")?.permanent == true)
        let unset = Admission.resources(of: PodSpec(name: "u", containers: [ContainerSpec()], work: .forever), limitRange: nil)
        let r = Admission.checkQuota(unset, quota: quota, usage: QuotaUsage(), namespace: "ns")
        #expect(r == Admission.Refusal(message: "failed quota: ns-quota: must specify requests.cpu", permanent: true))
    }
}

@Suite struct AdmissionValidationTests {
    @Test func aDefaultLimitBelowTheRequestMakesThePodInvalid() {
        let cluster = ClusterState(nodes: [NodeSpec(name: "n", allocatable: Resources(cpu: 4000, memory: 1 << 30))],
                                   namespaces: [NamespaceSpec(name: "default", limitRange: LimitRange(defaultLimits: OptionalResources(cpu: 500)))])
        let spec = PodSpec(name: "p", containers: [ContainerSpec(requests: OptionalResources(cpu: 1000))], work: .forever)
        guard case .failure(let r) = cluster.create(spec, owner: OwnerRef(controller: -1, job: -1), now: 0) else {
            Issue.record("should be refused"); return
        }
        #expect(r == Admission.Refusal(message: "Pod \"p\" is invalid: spec.containers[0].resources.requests: Invalid value: 1000: must be less than or equal to cpu limit 500",
                                       permanent: true))
    }
}
