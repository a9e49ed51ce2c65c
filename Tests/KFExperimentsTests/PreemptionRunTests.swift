import Foundation
import KFEngine
import KFScenario
import Testing
@testable import KFExperiments

/// Preemption through the whole control plane: the victim is evicted, the preemptor is nominated and
/// binds there at once, and a lower-priority pod arriving at the same instant cannot take the room.
@Suite struct PreemptionRunTests {
    static let scenario = """
        apiVersion: kfsim.io/v1alpha1
        kind: Scenario
        spec:
          cluster: {nodePools: [{name: n, count: 1, allocatable: {cpu: "2", memory: 4Gi}}]}
          workloads:
            - name: low
              kind: Pod
              arrivals: {count: 2, start: 0}
              template: {spec: {containers: [{name: c, resources: {requests: {cpu: "1"}}}]}}
              work: {duration: 100}
            - name: high
              kind: Pod
              arrivals: {count: 1, start: 10}
              template: {spec: {priority: 100, containers: [{name: c, resources: {requests: {cpu: "1"}}}]}}
              work: {duration: 5}
            - name: late
              kind: Pod
              arrivals: {count: 1, start: 10}
              template: {spec: {containers: [{name: c, resources: {requests: {cpu: "1"}}}]}}
              work: {duration: 5}
        """

    @Test func theVictimIsEvictedAndThePreemptorBindsOnItsNominatedNode() throws {
        let r = try runScenario(Self.scenario)
        func pod(_ name: String) -> PodRow { r.pods.first { $0.pod == name }! }
        // Both low pods started at 0: the one created later is the less important and goes.
        #expect(pod("low-1").phase == "Evicted" && pod("low-1").finished == Clock.micros(seconds: 10))
        #expect(pod("low-1").reason == "Preempted by default/high-0")
        #expect(pod("high-0").started == Clock.micros(seconds: 10))
        // The lower-priority pod of the same instant waits for the room the preemption did not make for it.
        #expect(pod("late-0").started == Clock.micros(seconds: 15))
        #expect(pod("low-0").phase == "Succeeded")
    }
}
