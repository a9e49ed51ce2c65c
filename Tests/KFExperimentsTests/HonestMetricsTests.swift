import Foundation
import Testing
import KFAnalysis
import KFControlPlane
@testable import KFExperiments

/// Metrics never lie: no data is no value (never 0), unfinished jobs are censored at the stop, and a
/// run in which nothing ran is void.
@Suite struct HonestMetricsTests {
    static let scenario = """
apiVersion: kfsim.io/v1alpha1
kind: Scenario
spec:
  stallTimeout: 10m
  cluster:
    nodePools:
      - {name: w, count: 2, allocatable: {cpu: "4", memory: 8Gi}, labels: {pool: cpu}}
  namespaces:
    - name: team
      resourceQuota: {hard: {requests.cpu: "8", limits.cpu: "8"}}
  workloads:
    - name: jobs
      kind: Pod
      namespace: team
      arrivals: {count: 30, interArrival: 1s}
      work: {duration: 60s}
      template: {spec: {containers: [{name: c, resources: {requests: {cpu: "1"}, limits: {cpu: "1"}}}]}}

"""

    /// A profile that schedules nothing (every pod's node selector matches no node): no JCT, no
    /// makespan, every job unfinished and censored, and the run is void.
    @Test func nothingScheduledHasNoMeanAndIsVoid() throws {
        let r = try runScenario(Self.scenario, ["workloads.jobs.template.spec.nodeSelector.pool=gpu"])
        let s = r.summary
        #expect(s.jobsTotal == 30 && s.jobsUnfinished == 30 && s.jobsSucceeded == 0)
        #expect(s.jct.mean == nil && s.jct.p50 == nil && s.makespan == nil)
        // Utilisation has data: the window runs to the stop (jobs were unfinished) and the cluster sat idle.
        #expect(s.cpuAllocated == 0 && s.cpuUsed == 0)
        // Censored at the stop: every job counts from its submission to the stop time.
        let stop = Double(r.endTime) / 1e6
        let expected = (0..<30).map { stop - Double($0) }.reduce(0, +) / 30
        #expect(abs(s.jctCensoredMean! - expected) < 1e-6)
        #expect(s.nothingRan?.contains("nothing ran: none of 30 pods of 30 jobs ever started") == true)
        let metrics = Dictionary(uniqueKeysWithValues: s.metrics)
        #expect(metrics["jct_mean_s"]! == nil && metrics["makespan_s"]! == nil && metrics["cpu_used_of_allocated"]! == nil)
        // Empty cells in runs.csv, null in summary.json, never 0.
        let json = OutputWriter.summaryJSON(r).rendered()
        #expect(json.contains("\"jctSeconds\": {\n    \"count\": 0,\n    \"mean\": null"))
        #expect(json.contains("\"makespanSeconds\": null"))
    }

    /// Every job refused at admission (the quota constrains limits.cpu; the pods give none): void, not
    /// a mean JCT of 0.
    @Test func allRefusedByQuotaIsVoid() throws {
        let noLimits = Self.scenario.replacingOccurrences(of: ", limits: {cpu: \"1\"}", with: "")
        #expect(noLimits != Self.scenario)
        let r = try runScenario(noLimits)
        let s = r.summary
        #expect(s.jobsSucceeded == 0 && s.jct.mean == nil)
        let why = try #require(s.nothingRan)
        #expect(why.contains("must specify limits.cpu"), "\(why)")
    }

    /// Some jobs finish, some cannot (they ask for more than a node has): the JCT covers finished jobs,
    /// the censored mean counts the others at the stop, and the run is not void.
    @Test func unfinishedJobsAreCensoredNotDropped() throws {
        let r = try runScenario(Self.scenario, ["workloads.jobs.arrivals.count=4"])
        let full = r.summary
        #expect(full.jobsUnfinished == 0 && full.jctCensoredMean == full.jct.mean && full.nothingRan == nil)
        let huge = """
    - name: huge
      kind: Pod
      namespace: team
      arrivals: {count: 2, interArrival: 1s}
      work: {duration: 60s}
      template: {spec: {containers: [{name: c, resources: {requests: {cpu: "6"}, limits: {cpu: "6"}}}]}}

"""
        let mixed = try runScenario(Self.scenario + huge, ["workloads.jobs.arrivals.count=4"])
        let s = mixed.summary
        #expect(s.jobsSucceeded == 4 && s.jobsUnfinished == 2 && s.nothingRan == nil)
        #expect(s.jct.count == 4)
        #expect(s.jctCensoredMean! > s.jct.mean!)
    }

    /// A metric without data is an empty cell in a sweep, and a point whose runs left jobs unfinished
    /// is marked; a comparison against it is flagged and not judged on time metrics.
    @Test func sweepsMarkAndFlagUnfinishedRuns() throws {
        let dir = Paths.temporary()
        let path = dir + "/s.yaml"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try Self.scenario.write(toFile: path, atomically: true, encoding: .utf8)
        let plan = try SweepPlan(scenarioPath: path, fixedOverrides: ["workloads.jobs.arrivals.count=4"],
                                 parameters: [.init(key: "workloads.jobs.template.spec.nodeSelector.pool", values: ["cpu", "gpu"])],
                                 seeds: [1, 2, 3], baseline: ("workloads.jobs.template.spec.nodeSelector.pool", "cpu"))
        let table = try SweepRunner(plan: plan, directory: dir + "/out", jobs: 1, shard: nil, resume: false, showProgress: false).run()
        let m = SweepTable.metricNames.firstIndex(of: "jct_mean_s")!
        #expect(table.metricValues(0)[m] != nil)
        #expect(table.metricValues(3)[m] == nil)
        let points = table.pointsCSV.split(separator: "\n").map(String.init)
        #expect(points.contains("1,gpu,jct_mean_s,0,,,,,3,0"), "\(points.filter { $0.contains("jct_mean_s") })")
        #expect(points.contains { $0.hasPrefix("0,cpu,jct_mean_s,3,") && $0.hasSuffix(",0,0") })
        let comparisons = try #require(table.comparisonsCSV).split(separator: "\n").map(String.init)
        let jct = try #require(comparisons.first { $0.contains(",jct_mean_censored_s,") })
        #expect(jct.hasSuffix(",,3 runs with unfinished jobs"), "\(jct)")
        let mean = try #require(comparisons.first { $0.contains(",jct_mean_s,") })
        #expect(mean.hasPrefix("gpu,workloads.jobs.template.spec.nodeSelector.pool,cpu,jct_mean_s,0,,,,"), "\(mean)")
    }
}
