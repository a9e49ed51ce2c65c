import Foundation
import Testing
@testable import KFExperiments
import KFWorkloads

/// Pipelines as users have them (issue 9, first part): every example in ../shared/data/pipelines
/// loads and runs, with its tasks in dependency order; hand-computed cases.
@Suite struct PipelineTests {
    static let data = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("../shared/data/pipelines").standardized.path

    static func scenario(_ pipeline: String, steps: String = "default: {work: {duration: 10s}, items: 3}", extra: String = "") -> String {
        """
apiVersion: kfsim.io/v1alpha1
kind: Scenario
spec:
  cluster:
    nodePools:
      - {name: w, count: 2, allocatable: {cpu: "8", memory: 32Gi}}
  workloads:
    - name: p
      kind: Pipeline
      pipeline: \(pipeline)
      steps: {\(steps)}\(extra)

"""
    }

    /// tasks.csv rows by task name.
    static func tasks(_ r: RunResult) throws -> [String: [String: String]] {
        let csv = try #require(r.reports.flatMap(\.files).first { $0.name == "tasks.csv" }?.contents)
        let lines = csv.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        return Dictionary(uniqueKeysWithValues: lines.dropFirst().map { row in (row[1], Dictionary(uniqueKeysWithValues: zip(lines[0], row))) })
    }

    static let expectedTasks = ["argo/artifact-passing.yaml": 2, "argo/dag-diamond.yaml": 4, "argo/loops-dag.yaml": 5,
                                "argo/parallelism-limit.yaml": 10, "argo/retry-backoff.yaml": 1, "kfp/artifact_cache.yaml": 2,
                                "kfp/iris_pipeline_compiled.yaml": 3, "kfp/pipeline_with_after.yaml": 3, "kfp/pipeline_with_condition.yaml": 5,
                                "kfp/pipeline_with_loops.yaml": 18, "kfp/pipeline_with_retry.yaml": 1, "kfp/two_step_pipeline_containerized.yaml": 2]

    @Test(.enabled(if: FileManager.default.fileExists(atPath: data)), arguments: expectedTasks.keys.sorted())
    func everyExampleRunsInDependencyOrder(_ file: String) throws {
        let r = try runScenario(Self.scenario("\(Self.data)/\(file)"))
        #expect(r.summary.jobsSucceeded == 1, "\(file)")
        let tasks = try Self.tasks(r)
        #expect(tasks.count == Self.expectedTasks[file], "\(file): \(tasks.keys.sorted())")
        for (name, t) in tasks {
            #expect(t["state"] == "succeeded", "\(file) \(name)")
            for before in (t["after"] ?? "").split(separator: ";").map(String.init) {
                let dep = try #require(tasks[before], "\(file): \(name) after unknown \(before)")
                #expect(Double(t["ready_s"]!)! >= Double(dep["finished_s"]!)!, "\(file): \(name) ready before \(before) finished")
            }
        }
    }

    /// A diamond's JCT is its critical path; a parallelism limit of 2 over 10 ten-second steps takes 50 s.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: data)))
    func criticalPathAndParallelismLimit() throws {
        let diamond = try runScenario(Self.scenario("\(Self.data)/argo/dag-diamond.yaml",
                                                    steps: "default: {work: {duration: 10s}}, echo: {work: {duration: 7s}}"))
        #expect(diamond.jobs[0].jct == 21_000_000)
        let limited = try runScenario(Self.scenario("\(Self.data)/argo/parallelism-limit.yaml"))
        #expect(limited.jobs[0].jct == 50_000_000)
        // The workflow controller's reaction delay adds to every step of the critical path.
        let delayed = try runScenario(Self.scenario("\(Self.data)/argo/dag-diamond.yaml", extra: "\n      controllerDelay: 2s"))
        #expect(delayed.jobs[0].jct == 36_000_000)
        // KFP v2's driver and launcher per task add too.
        let driven = try runScenario(Self.scenario("\(Self.data)/argo/dag-diamond.yaml", extra: "\n      taskOverhead: 3s"))
        #expect(driven.jobs[0].jct == 39_000_000)
    }

    /// A failing step is retried after its backoff (Argo: duration 1 s, factor 2, cap 5 s).
    @Test(.enabled(if: FileManager.default.fileExists(atPath: data)))
    func retriesWaitTheirBackoff() throws {
        let r = try runScenario(Self.scenario("\(Self.data)/argo/retry-backoff.yaml",
                                              steps: "default: {work: {duration: 10s}, failureProbability: 0.7}"))
        let pods = r.pods.sorted { $0.created < $1.created }
        #expect(pods.count >= 2 && pods.last?.phase == "Succeeded" && pods.dropLast().allSatisfy { $0.phase == "Failed" })
        for (k, pair) in zip(pods, pods.dropFirst()).enumerated() {
            let expected = Int64(min(1.0 * pow(2.0, Double(k)), 5) * 1e6)
            #expect(pair.1.created - pair.0.finished == expected, "retry \(k + 1)")
        }
        #expect(r.summary.jobsSucceeded == 1)
    }

    @Test func malformedPipelinesAreRefusedWithLocations() throws {
        let dir = Paths.temporary()
        func refusal(_ workflow: String) -> String {
            try? workflow.write(toFile: "\(dir)/w.yaml", atomically: true, encoding: .utf8)
            do { _ = try runScenario(Self.scenario("\(dir)/w.yaml")); return "accepted" } catch { return "\(error)" }
        }
        let head = "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata: {name: w}\nspec:\n  entrypoint: main\n  templates:\n"
        let leaf = "  - {name: leaf, container: {image: busybox}}\n"
        #expect(refusal(head + "  - name: main\n    dag:\n      tasks:\n      - {name: a, template: leaf, depends: b}\n      - {name: b, template: leaf, depends: a}\n" + leaf)
            .contains("depend on each other in a cycle: a -> b -> a"))
        #expect(refusal(head + "  - name: main\n    dag:\n      tasks:\n      - {name: a, template: nowhere}\n" + leaf)
            .contains("task 'a' runs template 'nowhere', which is not defined"))
        // Located at the task: line 9, column 9 of the workflow.
        #expect(refusal(head + "  - name: main\n    dag:\n      tasks:\n      - {name: a, template: leaf, dependencies: [ghost]}\n" + leaf)
            .contains("w.yaml:10:9: spec.templates[0].dag.tasks[0]: task 'a' depends on 'ghost', which is not a task of 'main'"))
        #expect(refusal(head + "  - name: main\n    dag:\n      tasks:\n      - {name: a, templateRef: {name: other, template: x}}\n" + leaf)
            .contains("templateRef (templates of another WorkflowTemplate) is not resolved"))
        #expect(refusal(head + "  - name: main\n    dag:\n      tasks:\n      - {name: a, template: leaf, withSequence: {count: many}}\n" + leaf)
            .contains("expected an integer, got 'many'"))
        // Compiled KFP pipelines.
        let kfp = """
components:
  comp-a: {executorLabel: exec-a}
deploymentSpec:
  executors:
    exec-a: {container: {image: python:3.11}}
root:
  dag:
    tasks:
      a: {componentRef: {name: comp-a}, taskInfo: {name: a}}

"""
        #expect(refusal(kfp.replacingOccurrences(of: "{name: comp-a}, taskInfo", with: "{name: comp-b}, taskInfo"))
            .contains("task 'a' runs template 'comp-b', which is not defined"))
        #expect(refusal(kfp.replacingOccurrences(of: "exec-a: {container", with: "exec-z: {container"))
            .contains("executor 'exec-a' is not in deploymentSpec.executors"))
        #expect(refusal(kfp.replacingOccurrences(of: "comp-a: {executorLabel: exec-a}", with: "comp-a: {inputDefinitions: {}}"))
            .contains("component 'comp-a' has neither a dag nor an executorLabel"))
        #expect(refusal(kfp.replacingOccurrences(of: "exec-a: {container: {image: python:3.11}}", with: "exec-a: {importer: {artifactUri: {}}}"))
            .contains("only container executors are simulated"))
        #expect(refusal(kfp.replacingOccurrences(of: "taskInfo: {name: a}}", with: "taskInfo: {name: a}, parameterIterator: {items: {raw: 'nope'}}}"))
            .contains("raw items must be a JSON list"))
        #expect(refusal(head + "  - {name: main, resource: {action: create}}\n").contains("'resource' templates are not simulated"))
        #expect(refusal(head + "  - name: main\n    dag:\n      tasks:\n      - {name: b, template: leaf}\n      - {name: a, template: leaf, depends: \"b.Finished\"}\n" + leaf)
            .contains("unknown result 'Finished'; accepted: Succeeded, Failed"))
        #expect(refusal(head + "  - name: main\n    dag:\n      tasks:\n      - {name: b, template: leaf}\n      - {name: a, template: leaf, depends: \"(b && \"}\n" + leaf)
            .contains("w.yaml:11:44: spec.templates[0].dag.tasks[1].depends: '(b && ': ends too early"))
        #expect(refusal(head.replacingOccurrences(of: "entrypoint: main", with: "entrypoint: missing") + leaf)
            .contains("entry template 'missing' is not defined"))
        #expect(refusal(head + "  - name: main\n    dag:\n      tasks:\n      - {name: a, template: main}\n").contains("contains itself"))
    }
}

/// Steps move data through the object store over the network fabric (issue 9, storage).
@Suite struct PipelineStorageTests {
    static let workflow = """
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: two-readers-}
spec:
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: a, template: read}
      - {name: b, template: read}
  - name: read
    container: {image: busybox, resources: {requests: {cpu: "1"}}}

"""

    static func run(nodes: Int, nic: String, store: String) throws -> [String: [String: String]] {
        let dir = Paths.temporary()
        try workflow.write(toFile: "\(dir)/w.yaml", atomically: true, encoding: .utf8)
        let r = try runScenario("""
apiVersion: kfsim.io/v1alpha1
kind: Scenario
spec:
  cluster:
    nodePools:
      - {name: w, count: \(nodes), allocatable: {cpu: "8", memory: 32Gi}, nicBandwidth: \(nic)}
  workloads:
    - name: p
      kind: Pipeline
      pipeline: \(dir)/w.yaml
      storage: {bandwidth: \(store), latency: 0}
      steps: {read: {work: {duration: 10s}, inputs: "125M"}}

""")
        #expect(r.summary.jobsSucceeded == 1)
        return try PipelineTests.tasks(r)
    }

    /// Two downloads of 125 MB through one 1 Gbit/s NIC share it: 2 s each, then 10 s of compute.
    @Test func twoDownloadsShareOneNIC() throws {
        let tasks = try Self.run(nodes: 1, nic: "1G", store: "100G")
        for t in ["a", "b"] {
            #expect(tasks[t]?["io_s"] == "2.000000" && tasks[t]?["compute_s"] == "10.000000", "\(tasks[t] ?? [:])")
        }
    }

    /// With fast NICs, the 1 Gbit/s store is the shared bottleneck: again 2 s each.
    @Test func twoDownloadsShareOneStore() throws {
        let tasks = try Self.run(nodes: 2, nic: "100G", store: "1G")
        for t in ["a", "b"] { #expect(tasks[t]?["io_s"] == "2.000000", "\(tasks[t] ?? [:])") }
        // A 2 Gbit/s store gives each 1 Gbit/s: 1 s.
        let single = try Self.run(nodes: 2, nic: "100G", store: "2G")
        for t in ["a", "b"] { #expect(single[t]?["io_s"] == "1.000000", "\(single[t] ?? [:])") }
    }
}

/// KFP execution caching: a later run reuses the executions of steps that enable caching.
@Suite struct PipelineCachingTests {
    @Test(.enabled(if: FileManager.default.fileExists(atPath: PipelineTests.data)))
    func laterRunsReuseCachedSteps() throws {
        // artifact_cache: mantle -> crust-comp, both with enableCache. Two runs 100 s apart.
        let text = PipelineTests.scenario("\(PipelineTests.data)/kfp/artifact_cache.yaml", extra: "\n      arrivals: {count: 2, interArrival: 100s}")
        let r = try runScenario(text)
        let csv = try #require(r.reports.flatMap(\.files).first { $0.name == "tasks.csv" }?.contents)
        let rows = csv.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(rows.filter { $0[0] == "p-0" }.allSatisfy { $0[9] == "miss" && $0[3] != "" })
        // The second run runs no pod: both steps are cache hits, its JCT is 0.
        #expect(rows.filter { $0[0] == "p-1" }.allSatisfy { $0[9] == "hit" && $0[3] == "" })
        #expect(r.jobs[1].jct == 0 && r.pods.count == 2)
        // Off, or stale: both run again.
        let off = try runScenario(text + "      executionCache: {enabled: false}\n")
        #expect(off.pods.count == 4)
        let stale = try runScenario(text + "      executionCache: {maxCacheStaleness: 50s}\n")
        #expect(stale.pods.count == 4)
    }
}

/// KFP recurring runs: interval or cron, maxConcurrency, catch-up or noCatchup.
@Suite struct RecurringRunTests {
    static func run(_ recurring: String) throws -> RunResult {
        let dir = Paths.temporary()
        try PipelineStorageTests.workflow.write(toFile: "\(dir)/w.yaml", atomically: true, encoding: .utf8)
        return try runScenario(PipelineTests.scenario("\(dir)/w.yaml", steps: "read: {work: {duration: 100s}}",
                                                      extra: "\n      recurring: \(recurring)"))
    }

    @Test func intervalRunsWithConcurrencyAndCatchUp() throws {
        // Due every 60 s, 4 times, each run 100 s long, one at a time: 0, then 100 (caught up), 200, 300.
        let caught = try Self.run("{interval: 60s, count: 4, maxConcurrency: 1}")
        #expect(caught.jobs.map(\.submitted) == [0, 100, 200, 300].map { $0 * 1_000_000 })
        // Without catch-up, the runs due at 60 s and 180 s are skipped; 120 s starts when the first ends? No: it is
        // due at 120 s while the first run (0-100 s) is over, so it starts; 180 s falls during it and is skipped.
        let skipping = try Self.run("{interval: 60s, count: 4, maxConcurrency: 1, noCatchup: true}")
        #expect(skipping.jobs.map(\.submitted) == [0, 120].map { $0 * 1_000_000 })
        // Unlimited concurrency: every 60 s.
        let free = try Self.run("{interval: 60s, count: 3, maxConcurrency: 10}")
        #expect(free.jobs.map(\.submitted) == [0, 60, 120].map { $0 * 1_000_000 })
    }

    @Test func cronSchedules() throws {
        // Every 15 minutes from 00:00 (minute 0, 15, 30, 45).
        let cron = try Self.run("{cron: \"*/15 * * * *\", count: 3}")
        #expect(cron.jobs.map(\.submitted) == [0, 900, 1800].map { $0 * 1_000_000 })
        // 09:30 on weekdays: Monday 1 January is day 0.
        guard case .cron(let m, let h, _, _, let w)? = RecurringSchedule.parseCron("30 9 * * 1-5") else { Issue.record("unparsed"); return }
        #expect(m == [30] && h == [9] && w == [1, 2, 3, 4, 5])
        let s = RecurringSchedule(trigger: .cron(minutes: m, hours: h, days: Set(1...31), months: Set(1...12), weekdays: w),
                                  start: 0, count: 10, maxConcurrency: 1, noCatchup: false)
        let nineThirty: Int64 = (9 * 3600 + 1800) * 1_000_000, day: Int64 = 86400 * 1_000_000
        #expect(s.next(after: 0) == nineThirty)
        // Friday 09:30 (day 4) is followed by Monday 09:30 (day 7).
        #expect(s.next(after: 4 * day + nineThirty) == 7 * day + nineThirty)
        #expect(RecurringSchedule.parseCron("61 * * * *") == nil && RecurringSchedule.parseCron("* * *") == nil)
    }
}

/// The in-memory data cache: a dataset read once is read from memory next time; LRU evicts it when
/// another one needs the room.
@Suite struct DataCacheTests {
    static let workflow = """
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: readers-}
spec:
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: a, template: r1}
      - {name: b, template: r2, depends: a}
      - {name: c, template: r1, depends: b}
  - {name: r1, container: {image: busybox}}
  - {name: r2, container: {image: busybox}}

"""

    static func io(capacity: String) throws -> [String: String] {
        let dir = Paths.temporary()
        try workflow.write(toFile: "\(dir)/w.yaml", atomically: true, encoding: .utf8)
        let r = try runScenario("""
apiVersion: kfsim.io/v1alpha1
kind: Scenario
spec:
  cluster:
    nodePools:
      - {name: w, count: 1, allocatable: {cpu: "8", memory: 32Gi}, nicBandwidth: 100G}
  workloads:
    - name: p
      kind: Pipeline
      pipeline: \(dir)/w.yaml
      storage: {bandwidth: 1G, latency: 0}
      datasets: {d1: 1G, d2: 1G}
      dataCache: {capacity: \(capacity), eviction: lru}
      steps: {r1: {work: {duration: 10s}, reads: [d1]}, r2: {work: {duration: 10s}, reads: [d2]}}

""")
        return try PipelineTests.tasks(r).mapValues { $0["io_s"] ?? "" }
    }

    @Test func hitsAndEvictions() throws {
        // 1 GB from a 1 Gbit/s store: 8 s. With room for both datasets, c reads d1 from memory.
        #expect(try Self.io(capacity: "2G") == ["a": "8.000000", "b": "8.000000", "c": "0.000000"])
        // With room for one, b's d2 evicts d1 (LRU): c reads it from the store again.
        #expect(try Self.io(capacity: "1500M") == ["a": "8.000000", "b": "8.000000", "c": "8.000000"])
    }
}

/// Pipeline-aware precaching (seed paper 4): a step's dataset is fetched while its upstream computes;
/// the prefetch competes with reads already going on.
@Suite struct PrecachingTests {
    static func run(precache: Bool, upstreamReads: Bool) throws -> (jct: Int64, io: [String: String]) {
        let dir = Paths.temporary()
        try DataCacheTests.workflow.replacingOccurrences(of: "      - {name: c, template: r1, depends: b}\n", with: "")
            .replacingOccurrences(of: "{name: a, template: r1}", with: "{name: a, template: r0}")
            .replacingOccurrences(of: "  - {name: r1, container: {image: busybox}}", with: "  - {name: r0, container: {image: busybox}}")
            .write(toFile: "\(dir)/w.yaml", atomically: true, encoding: .utf8)
        let r = try runScenario("""
apiVersion: kfsim.io/v1alpha1
kind: Scenario
spec:
  cluster:
    nodePools:
      - {name: w, count: 1, allocatable: {cpu: "8", memory: 32Gi}, nicBandwidth: 100G}
  workloads:
    - name: p
      kind: Pipeline
      pipeline: \(dir)/w.yaml
      storage: {bandwidth: 1G, latency: 0}
      datasets: {d0: 1G, d2: 1G}
      dataCache: {capacity: 4G, policy: \(precache ? "precache" : "ondemand")}
      steps: {r0: {work: {duration: 10s}\(upstreamReads ? ", reads: [d0]" : "")}, r2: {work: {duration: 10s}, reads: [d2]}}

""")
        return (r.jobs[0].jct, try PipelineTests.tasks(r).mapValues { $0["io_s"] ?? "" })
    }

    @Test func prefetchHidesTheReadBehindUpstreamCompute() throws {
        // a computes 10 s; b reads 1 GB (8 s at 1 Gbit/s) then computes 10 s.
        let plain = try Self.run(precache: false, upstreamReads: false)
        #expect(plain.jct == 28_000_000 && plain.io["b"] == "8.000000")
        let pre = try Self.run(precache: true, upstreamReads: false)
        #expect(pre.jct == 20_000_000 && pre.io["b"] == "0.000000")
    }

    @Test func prefetchCompetesWithReadsGoingOn() throws {
        // When a itself reads 1 GB from the store, the prefetch shares the store with it: a's read
        // takes 16 s instead of 8 s, and the pipeline gains nothing.
        let plain = try Self.run(precache: false, upstreamReads: true)
        let pre = try Self.run(precache: true, upstreamReads: true)
        #expect(plain.io["a"] == "8.000000" && pre.io["a"] == "16.000000")
        #expect(pre.jct >= plain.jct)
    }
}
