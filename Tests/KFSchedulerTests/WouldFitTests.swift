import KFCluster
import Testing
@testable import KFScheduler

/// "Would this pod fit on a new node of group G": the profile's PreFilter and Filter plugins on a
/// hypothetical node made from the group's template.
@Suite struct WouldFitTests {
    @Test func aNewNodeAnswersWithTheFiltersVerdict() throws {
        let f = try Fixture(nodes: [node("small", cpu: 1000, memoryGi: 1)])
        guard case .success(let big) = f.cluster.create(pod("big", cpu: 4000), owner: OwnerRef(controller: -1, job: -1), now: 0) else {
            Issue.record("refused")
            return
        }
        #expect(f.scheduler.whyNotFit(big, onNewNode: node("t", cpu: 8000, memoryGi: 8)) == nil)
        #expect(f.scheduler.whyNotFit(big, onNewNode: node("t", cpu: 2000, memoryGi: 8)) == "Insufficient cpu")
        let tainted = node("t", cpu: 8000, memoryGi: 8, taints: [Taint(key: "gpu", value: "true", effect: .noSchedule)])
        #expect(f.scheduler.whyNotFit(big, onNewNode: tainted)?.contains("untolerated taint") == true)
        // The question leaves the cluster as it was: the pod still does not fit on the real node.
        #expect(f.cluster.nodes.count == 1)
        if case .unschedulable = f.scheduler.schedule(big) {} else { Issue.record("big pod placed on the small node") }
    }
}
