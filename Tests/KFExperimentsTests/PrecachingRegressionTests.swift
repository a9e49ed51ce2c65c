import Foundation
import Testing
import KFAnalysis
import KFScenario
@testable import KFExperiments

/// Seed paper 4's ranking on the precaching scenario, with paired intervals over 10 seeds: both caches
/// beat no cache; precaching beats the on-demand cache with 8 GiB per node, and loses to it when the
/// cache is too small for what it prefetches (2 GiB).
@Suite struct PrecachingRegressionTests {
    static func diff(_ overrides: [String], _ a: String, _ b: String) throws -> PairedDifference {
        let key = "workloads.ml.dataCache.policy"
        let plan = try SweepPlan(scenarioPath: Paths.scenario("precaching/precaching.yaml"), fixedOverrides: overrides,
                                 parameters: [.init(key: key, values: [a, b])], seeds: Array(1...10), baseline: nil)
        let table = try SweepRunner(plan: plan, directory: Paths.temporary(), jobs: 2, shard: nil, resume: false, showProgress: false).run()
        return PairedDifference(table, plan, a, b, "jct_mean_s")
    }

    @Test func cachesBeatNoCacheAndPrecachingNeedsRoom() throws {
        #expect(try Self.diff([], "ondemand", "none").high < 0)
        #expect(try Self.diff([], "precache", "none").high < 0)
        let roomy = try Self.diff([], "precache", "ondemand")
        #expect(roomy.high < 0, "precache - ondemand JCT at 8 GiB: \(roomy)")
        let cramped = try Self.diff(["workloads.ml.dataCache.capacity=2Gi"], "precache", "ondemand")
        #expect(cramped.low > 0, "precache - ondemand JCT at 2 GiB: \(cramped)")
    }
}

/// Same scenario and seed, same bytes: every output of a pipeline run (tasks.csv, the cache counters in
/// timeseries.csv, events.csv, the trace).
@Suite struct PipelineDeterminismTests {
    @Test func pipelineOutputsAreByteIdentical() throws {
        func outputs() throws -> [String] {
            var s = try ScenarioLoader.load(path: Paths.scenario("precaching/precaching.yaml"),
                                            overrides: ["workloads.ml.arrivals.count=15", "outputs.events=true"])
            s.seed = 3
            let r = try Runner.run(s)
            let files = [OutputWriter.podsCSV(r), OutputWriter.timeseriesCSV(r), OutputWriter.eventsCSV(r.eventLog ?? []),
                         OutputWriter.summaryJSON(r).rendered(), TraceEvents.json(r)]
            return files + r.reports.flatMap(\.files).map(\.contents)
        }
        let a = try outputs(), b = try outputs()
        #expect(a == b)
        #expect(a[1].hasPrefix("time_s,cpu_allocated,cpu_used,memory_allocated,memory_used,gpu_allocated,gpu_used,pending_pods,starting_pods,running_pods,waiting_creations,ml_cache_hits,ml_cache_misses,ml_cache_evictions,ml_cache_gib_from_store,ml_cache_gib_prefetched\n"))
        #expect(a.contains { $0.hasPrefix("run,task,template,pod,ready_s") })
    }
}
