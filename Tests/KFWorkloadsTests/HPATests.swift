import Testing
@testable import KFWorkloads

/// The HorizontalPodAutoscaler's algorithm against hand-computed cases (upstream
/// replica_calculator.go and horizontal.go, v1.34; requests 1000m unless stated).
@Suite struct HPATests {
    typealias Pod = HPAReplicaCalculator.PodSample
    /// A running pod, ready since `readySince`, started long ago, with a CPU metric (millicores).
    static func pod(_ usage: Int64?, request: Int64 = 1000, ready: Bool = true, started: Double = -1000, readySince: Double = -990) -> Pod {
        Pod(phase: .running, ready: ready, readyTransition: readySince, startTime: started, request: request,
            metric: usage.map { ($0, 0, 15) })
    }

    /// 1. Tolerance after the integer percent: 2219m of 2000m requested is 110% (truncated) against a
    /// 100% target, ratio 1.1, within 1 +- 0.1: no change. 2300m (115%) scales 4 -> ceil(4.6) = 5.
    @Test func toleranceUsesTheTruncatedPercent() {
        let at110 = [Self.pod(555, request: 500), Self.pod(555, request: 500), Self.pod(555, request: 500), Self.pod(554, request: 500)]
        #expect(HPAReplicaCalculator.utilizationReplicas(current: 4, targetUtilization: 100, pods: at110, cpu: true, now: 0) == 4)
        let at115 = (0..<4).map { _ in Self.pod(575, request: 500) }
        #expect(HPAReplicaCalculator.utilizationReplicas(current: 4, targetUtilization: 100, pods: at115, cpu: true, now: 0) == 5)
    }

    /// 2. Unready pods block a false scale-up: 3 ready pods at 1040m (104% of 80%: ratio 1.3) and 2 pods
    /// started a minute ago, not ready: counted at 0, the ratio becomes 0.775 (direction flipped): stays 5.
    @Test func unreadyPodsCountAsIdleWhenScalingUp() {
        let pods = (0..<3).map { _ in Self.pod(1040) } + (0..<2).map { _ in Self.pod(500, ready: false, started: -60, readySince: -60) }
        #expect(HPAReplicaCalculator.utilizationReplicas(current: 5, targetUtilization: 80, pods: pods, cpu: true, now: 0) == 5)
        // Without them the ready pods alone ask for ceil(1.3 x 3) = 4.
        #expect(HPAReplicaCalculator.utilizationReplicas(current: 5, targetUtilization: 80, pods: Array(pods.prefix(3)), cpu: true, now: 0) == 4)
    }

    /// 3. A missing metric on a scale-down counts at the target: 3 pods at 100m (10% of 50%: ratio 0.2)
    /// and one without a metric (1000m): 32% -> 0.64 -> ceil(2.56) = 3 (without it: ceil(0.6) = 1).
    @Test func missingPodsCountAtTheTargetWhenScalingDown() {
        let pods = (0..<3).map { _ in Self.pod(100) } + [Self.pod(nil)]
        #expect(HPAReplicaCalculator.utilizationReplicas(current: 4, targetUtilization: 50, pods: pods, cpu: true, now: 0) == 3)
        #expect(HPAReplicaCalculator.utilizationReplicas(current: 4, targetUtilization: 50, pods: Array(pods.prefix(3)), cpu: true, now: 0) == 1)
    }

    /// 4. The scale-down stabilisation window (default behavior, 300 s): recommendations 12 (320 s ago),
    /// 9, 11, 8 and a proposal of 6 keep 10 replicas (the highest in the window is 11); with 9, 8, 7 it is 9.
    @Test func scaleDownWaitsForItsWindow() {
        func history(_ recs: [(Int, Double)]) -> HPAHistory {
            var h = HPAHistory()
            h.recommendations = recs.map { ($0.0, 1000 - $0.1) }
            return h
        }
        var h = history([(12, 320), (9, 200), (11, 100), (8, 15)])
        #expect(h.normalize(proposal: 6, current: 10, min: 1, max: 20, behavior: HPABehavior(), now: 1000) == 10)
        var h2 = history([(12, 320), (9, 200), (8, 100), (7, 15)])
        #expect(h2.normalize(proposal: 6, current: 10, min: 1, max: 20, behavior: HPABehavior(), now: 1000) == 9)
    }

    /// 5. The default scale-up limit: from 3 toward 15, +4 pods or +100% per 15 s, the larger: 7; 15 s
    /// later (the event out of the period) 14; while the event is inside the period, 7 again.
    @Test func scaleUpIsRateLimited() {
        var h = HPAHistory()
        #expect(h.normalize(proposal: 15, current: 3, min: 1, max: 20, behavior: HPABehavior(), now: 100) == 7)
        h.recordScale(from: 3, to: 7, behavior: HPABehavior(), now: 100)
        var inside = h
        #expect(h.normalize(proposal: 15, current: 7, min: 1, max: 20, behavior: HPABehavior(), now: 115) == 14)
        #expect(inside.normalize(proposal: 15, current: 7, min: 1, max: 20, behavior: HPABehavior(), now: 110) == 7)
    }

    /// 6. Scale-down policies: -50% or -3 pods per 60 s from 20 toward 4: Max picks the larger change (10),
    /// Min the smaller (17); 15 s after going to 10 the period still holds the change: 10.
    @Test func scaleDownPoliciesSelectMaxOrMin() {
        let down = HPABehavior.Rules(stabilizationWindow: 0, select: .Max, policies: [(.Percent, 50, 60), (.Pods, 3, 60)])
        var h = HPAHistory()
        #expect(h.normalize(proposal: 4, current: 20, min: 2, max: 30, behavior: HPABehavior(scaleDown: down), now: 0) == 10)
        h.recordScale(from: 20, to: 10, behavior: HPABehavior(scaleDown: down), now: 0)
        #expect(h.normalize(proposal: 4, current: 10, min: 2, max: 30, behavior: HPABehavior(scaleDown: down), now: 15) == 10)
        var min = HPAHistory()
        var minRules = down
        minRules.select = .Min
        #expect(min.normalize(proposal: 4, current: 20, min: 2, max: 30, behavior: HPABehavior(scaleDown: minRules), now: 0) == 17)
    }

    /// 7. Clamps: a proposal below minReplicas stays at the minimum (3); the legacy rules (no behavior)
    /// scale up at most to max(2 x current, 4): 2 -> 4, 5 -> 10, and never above maxReplicas.
    @Test func clampsAndTheLegacyRules() {
        var h = HPAHistory()
        #expect(h.normalize(proposal: 1, current: 3, min: 3, max: 10, behavior: HPABehavior(), now: 0) == 3)
        var legacy = HPAHistory()
        #expect(legacy.normalize(proposal: 10, current: 2, min: 1, max: 20, behavior: nil, now: 0) == 4)
        var legacy2 = HPAHistory()
        #expect(legacy2.normalize(proposal: 30, current: 5, min: 1, max: 20, behavior: nil, now: 0) == 10)
        var legacy3 = HPAHistory()
        #expect(legacy3.normalize(proposal: 30, current: 9, min: 1, max: 12, behavior: nil, now: 0) == 12)
    }

    /// 8. A per-pod AverageValue target: 150, 150 and 160 requests/s against 100: integer average
    /// 153.333 -> ratio 1.5333 -> ceil(4.6) = 5.
    @Test func podsAverageValue() {
        let pods = [150_000, 150_000, 160_000].map { v in Pod(phase: .running, ready: true, startTime: -1000, metric: (Int64(v), 0, 15)) }
        #expect(HPAReplicaCalculator.averageValueReplicas(current: 3, target: 100_000, pods: pods, cpu: false, now: 0) == 5)
    }

    /// A pod in its first 5 minutes whose metric was taken before one window passed since it became ready
    /// is unready for CPU; a pending pod is unready; a deleting pod is ignored.
    @Test func cpuInitialisationRules() {
        let fresh = Self.pod(900, started: -60, readySince: -10)   // metric at 0, window 15: 0 < -10 + 15
        let groups = HPAReplicaCalculator.group([fresh, Self.pod(900), Pod(phase: .pending, ready: nil, startTime: nil, metric: nil)], cpu: true, now: 0)
        #expect(groups.ready == [1] && groups.unready == [0, 2] && groups.missing.isEmpty)
        var deleting = Self.pod(900)
        deleting.deleting = true
        #expect(HPAReplicaCalculator.group([deleting], cpu: true, now: 0).ready.isEmpty)
    }
}
