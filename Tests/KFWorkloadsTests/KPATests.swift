import KFCluster
import Testing
@testable import KFWorkloads

/// Knative's autoscaler against hand-computed cases (knative/serving autoscaler.go `Scale`; defaults:
/// concurrency metric, containerConcurrency 0: target 100 x 0.7 = 70 per pod; panic at 2x; rates
/// 1000 up, 2 down; stable window 60 s, panic window 6 s).
@Suite struct KPATests {
    /// A KPA over a service with `ready` ready replicas and the given per-second buckets.
    static func kpa(ready: Int, stable: Double, panic: Double, at now: Int = 100) -> KPAController {
        let service = ServiceController(spec: ServiceSpec(name: "s", template: PodSpec(name: "", containers: [], work: .forever), replicas: 0,
                                                          serviceTime: .constant(1), traffic: RequestTraffic(rate: 1, end: 1)))
        var r = Replica()
        r.ready = true
        r.pod = 0
        service.replicas = Array(repeating: r, count: ready)
        let k = KPAController(name: "s", spec: .init(metric: .concurrency, containerConcurrency: 0, target: nil, minScale: 0, maxScale: 0), target: service)
        // 54 older seconds and 6 recent ones whose averages are `stable` over 60 s and `panic` over 6 s.
        let older = (stable * 60 - panic * 6) / 54
        k.buckets = Array(repeating: older, count: 54) + Array(repeating: panic, count: 6)
        k.lastWrite = now - 1
        k.firstWrite = now - 60
        k.keep = service
        return k
    }

    @Test func targetsFollowResolveMetricTarget() {
        #expect(KPAController.Spec(metric: .concurrency, containerConcurrency: 0, target: nil, minScale: 0, maxScale: 0).target == 70)
        #expect(abs(KPAController.Spec(metric: .concurrency, containerConcurrency: 10, target: nil, minScale: 0, maxScale: 0).target - 7) < 1e-12)
        #expect(abs(KPAController.Spec(metric: .concurrency, containerConcurrency: 10, target: 50, minScale: 0, maxScale: 0).target - 7) < 1e-12)
        #expect(abs(KPAController.Spec(metric: .rps, containerConcurrency: 0, target: nil, minScale: 0, maxScale: 0).target - 140) < 1e-12)
    }

    /// 1. Stable scale-up: 2 ready, 200 concurrent requests: ceil(200/70) = 3 (no panic: 3/2 < 2).
    @Test func stableScaleUp() {
        let k = Self.kpa(ready: 2, stable: 200, panic: 200)
        #expect(k.scale(now: 100) == 3)
        #expect(k.panicTime == 0)
    }

    /// 2. Stable scale-down limited by the rate: 10 ready, 70 concurrent: 1 wanted, at least floor(10/2) = 5.
    @Test func scaleDownIsRateLimited() {
        #expect(Self.kpa(ready: 10, stable: 70, panic: 70).scale(now: 100) == 5)
    }

    /// 3 and 4. Panic: 2 ready, stable 150 (3 pods), panic 400 (6 pods, 3x ready): 6. Twenty seconds
    /// later, stable 250 (4) and panic 140 (2 of 6 ready: calm), it holds 6; after a calm stable window, 4.
    @Test func panicModeHoldsTheCount() {
        let k = Self.kpa(ready: 2, stable: 150, panic: 400)
        #expect(k.scale(now: 100) == 6)
        #expect(k.panicTime == 100)
        let later = Self.kpa(ready: 6, stable: 250, panic: 140, at: 120)
        later.panicTime = k.panicTime
        later.maxPanicPods = k.maxPanicPods
        #expect(later.scale(now: 120) == 6)
        let calm = Self.kpa(ready: 6, stable: 250, panic: 140, at: 162)
        calm.panicTime = k.panicTime
        calm.maxPanicPods = k.maxPanicPods
        #expect(calm.scale(now: 162) == 4)
        #expect(calm.panicTime == 0)
    }
}

/// Knative's window average (TimedFloat64Buckets.WindowAverage): only seconds since the first write
/// count; trailing seconds without a write are left out; a whole window without one gives 0.
@Suite struct KPAWindowTests {
    @Test func averagesOverWhatWasWritten() {
        let service = ServiceController(spec: ServiceSpec(name: "s", template: PodSpec(name: "", containers: [], work: .forever), replicas: 0,
                                                          serviceTime: .constant(1), traffic: RequestTraffic(rate: 1, end: 1)))
        let k = KPAController(name: "s", spec: .init(metric: .concurrency, containerConcurrency: 0, target: nil, minScale: 0, maxScale: 0), target: service)
        k.keep = service
        k.record(10, 6)
        #expect(k.average(60, now: 11) == 6)          // one second written: its value
        k.record(12, 3)                               // second 11 was zero
        #expect(k.average(60, now: 13) == 3)          // (6 + 0 + 3) / 3
        #expect(k.average(60, now: 15) == 9.0 / 3)    // seconds 13, 14 unwritten: left out of the divisor (min(3, 60 - 2))
        #expect(k.average(6, now: 13) == 3)
        #expect(k.average(60, now: 73) == 0)          // a whole window since the last write
        k.record(100, 2)                              // after a gap of a window: starts again
        #expect(k.average(60, now: 101) == 2)
    }
}
