import Foundation
import KFScenario
import Testing
@testable import KFExperiments

/// ImageLocality reads node status: an image counts on a node once its pull has finished there, not
/// from the moment a pod that needs it is bound.
@Suite struct ImageLocalityRunTests {
    static let scenario = """
        apiVersion: kfsim.io/v1alpha1
        kind: Scenario
        spec:
          scheduler: {tieBreak: first}
          cluster:
            images: [{name: "trainer:v1", size: 1Gi}]
            nodePools: [{name: n, count: 4, allocatable: {cpu: "8", memory: 32Gi}, imagePullBandwidth: 100M}]
          workloads:
            - name: p
              kind: Pod
              arrivals: {count: 8, start: 0, interArrival: 1}
              template: {spec: {containers: [{name: c, image: "trainer:v1", resources: {requests: {cpu: 100m, memory: 100Mi}}}]}}
              work: {duration: 100}
        """

    /// Pods arrive 1 s apart while the first pulls take 10.7 s: no node has the image yet, so every pod
    /// is spread by the resource scores (two per node) instead of following the first pulls (4 + 4).
    @Test func podsSpreadWhileTheImageIsStillBeingPulled() throws {
        let result = try runScenario(Self.scenario)
        var perNode: [String: Int] = [:]
        for p in result.pods { perNode[p.node, default: 0] += 1 }
        #expect(perNode.values.sorted() == [2, 2, 2, 2], "\(perNode)")
    }

    /// Once a pull has finished, later pods prefer the node that has the image.
    @Test func afterThePullLaterPodsFollowTheImage() throws {
        let late = Self.scenario.replacingOccurrences(of: "interArrival: 1}", with: "interArrival: 20}")
            .replacingOccurrences(of: "count: 8", with: "count: 3")
        let result = try runScenario(late)
        #expect(Set(result.pods.map(\.node)).count == 1, "\(result.pods.map(\.node))")
    }
}
