import Foundation
import KFScenario
import Testing
@testable import KFExperiments
@testable import KFWorkloads

/// How failures travel through a pipeline (issue 9): Argo's `depends` expressions, `continueOn`, a DAG's
/// `failFast`, the workflow's `onExit` handler, and per-item work of a loop. Hand-computed cases.
@Suite struct PipelineFailureTests {
    static let head = "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata: {name: w}\nspec:\n  entrypoint: main\n  templates:\n"
    static let leaves = "  - {name: pass, container: {image: busybox}}\n  - {name: fail, container: {image: busybox}}\n"

    /// Runs `workflow` with 10 s steps (the `fail` template always fails); tasks.csv rows by task.
    static func run(_ workflow: String, extra: String = "") throws -> (RunResult, [String: [String: String]]) {
        let dir = Paths.temporary()
        try workflow.write(toFile: "\(dir)/w.yaml", atomically: true, encoding: .utf8)
        let r = try runScenario(PipelineTests.scenario("\(dir)/w.yaml", steps: "default: {work: {duration: 10s}}, fail: {failureProbability: 1}", extra: extra))
        return (r, try PipelineTests.tasks(r))
    }

    @Test func dependsExpressionsParseWithPrecedence() throws {
        let e = try DependsExpression.parse("a || b.Failed && !(c.Skipped)").get()
        #expect(e == .or(.result(task: "a", result: nil), .and(.result(task: "b", result: "Failed"), .not(.result(task: "c", result: "Skipped")))))
        #expect(e.tasks == ["a", "b", "c"])
        for bad in ["", "a &&", "(a", "a b", "a.Done", "a | b"] {
            #expect(throws: DependsParseError.self, "\(bad)") { try DependsExpression.parse(bad).get() }
        }
    }

    /// Argo's dag-enhanced-depends example: C fails; tasks whose expression accepts that run, the one that
    /// needs C's success is omitted, and the run succeeds (no leaf branch failed).
    @Test func enhancedDependsRunsWhatItsExpressionsAllow() throws {
        let (r, tasks) = try Self.run(Self.head + """
  - name: main
    dag:
      tasks:
      - {name: A, template: pass}
      - {name: B, template: pass, depends: "A"}
      - {name: C, template: fail, depends: "A"}
      - {name: should-execute-1, template: pass, depends: "A && (C.Succeeded || C.Failed)"}
      - {name: should-execute-2, template: pass, depends: "B || C"}
      - {name: should-not-execute, template: pass, depends: "B && C"}
      - {name: should-execute-3, template: pass, depends: "should-execute-2.Succeeded || should-not-execute"}

""" + Self.leaves)
        #expect(tasks["C"]?["state"] == "failed")
        #expect(tasks["should-not-execute"]?["state"] == "omitted")
        for t in ["A", "B", "should-execute-1", "should-execute-2", "should-execute-3"] { #expect(tasks[t]?["state"] == "succeeded", "\(t)") }
        #expect(tasks["should-execute-1"]?["ready_s"] == tasks["C"]?["finished_s"])
        #expect(r.summary.jobsSucceeded == 1)
    }

    /// A fails at once-ish; B (10 s) runs beside it; C waits for B. Fail fast (the default) starts no new
    /// task after A's failure, so C is omitted and the run fails when B ends (10 s); with failFast: false
    /// C runs and the run fails at 20 s. Either way the failed leaf A fails the run.
    @Test func failFastStopsNewTasksOfTheDAG() throws {
        let dag = Self.head + "  - name: main\n    dag:\nFF      tasks:\n      - {name: A, template: fail}\n      - {name: B, template: pass}\n"
            + "      - {name: C, template: pass, dependencies: [B]}\n" + Self.leaves
        let (fast, fastTasks) = try Self.run(dag.replacingOccurrences(of: "FF", with: ""))
        #expect(fastTasks["C"]?["state"] == "omitted")
        #expect(fast.summary.jobsFailed == 1 && fast.jobs[0].jct == 10_000_000)
        let (slow, slowTasks) = try Self.run(dag.replacingOccurrences(of: "FF", with: "      failFast: false\n"))
        #expect(slowTasks["C"]?["state"] == "succeeded")
        #expect(slow.summary.jobsFailed == 1 && slow.jobs[0].jct == 20_000_000)
    }

    /// `continueOn: {failed: true}`: B runs after A's failure and the run succeeds (20 s at most).
    @Test func continueOnFailureLetsDependentsRun() throws {
        let (r, tasks) = try Self.run(Self.head + "  - name: main\n    dag:\n      tasks:\n"
            + "      - {name: A, template: fail, continueOn: {failed: true}}\n      - {name: B, template: pass, dependencies: [A]}\n" + Self.leaves)
        #expect(tasks["A"]?["state"] == "failed" && tasks["B"]?["state"] == "succeeded")
        #expect(r.summary.jobsSucceeded == 1)
    }

    /// `spec.onExit` runs after the entry whatever its result, and leaves the run's result as it was.
    @Test func exitHandlerRunsAfterTheEntry() throws {
        let workflow = Self.head.replacingOccurrences(of: "entrypoint: main", with: "entrypoint: main\n  onExit: cleanup")
            + "  - name: main\n    dag:\n      tasks:\n      - {name: A, template: STEP}\n      - {name: B, template: pass, dependencies: [A]}\n"
            + "  - {name: cleanup, container: {image: busybox}}\n" + Self.leaves
        let (ok, okTasks) = try Self.run(workflow.replacingOccurrences(of: "STEP", with: "pass"))
        #expect(ok.summary.jobsSucceeded == 1 && ok.jobs[0].jct == 30_000_000)
        #expect(okTasks["onExit"]?["ready_s"] == okTasks["main.B"]?["finished_s"])
        let (failed, failedTasks) = try Self.run(workflow.replacingOccurrences(of: "STEP", with: "fail"))
        #expect(failedTasks["main.B"]?["state"] == "omitted" && failedTasks["onExit"]?["state"] == "succeeded")
        #expect(failed.summary.jobsFailed == 1)
        #expect(failedTasks["onExit"]?["ready_s"] == failedTasks["main.A"]?["finished_s"])
    }

    /// Each item of a loop may scale its work: factors 1, 2, 3 over 10 s make the loop take 30 s; a
    /// loop of 5 items cycles them (10, 20, 30, 10, 20 s).
    @Test func itemsScaleTheirWork() throws {
        let dir = Paths.temporary()
        let workflow = Self.head + "  - name: main\n    dag:\n      tasks:\n      - {name: A, template: pass, withSequence: {count: \"5\"}}\n" + Self.leaves
        try workflow.write(toFile: "\(dir)/w.yaml", atomically: true, encoding: .utf8)
        let r = try runScenario(PipelineTests.scenario("\(dir)/w.yaml", steps: "pass: {work: {duration: 10s}, itemScale: [1, 2, 3]}"))
        let tasks = try PipelineTests.tasks(r)
        let seconds = (0..<5).map { Double(tasks["A(\($0))"]?["finished_s"] ?? "") ?? -1 }
        #expect(seconds == [10, 20, 30, 10, 20])
        #expect(r.jobs[0].jct == 30_000_000)
        // In a compiled KFP pipeline a loop's body is a DAG per item: the step inside takes its item's factor
        // (seed paper 3's training workflow: random forest, XGBoost, SVM, small MLP).
        let kfp = try Runner.run(try ScenarioLoader.load(path: Paths.scenario("malware/malware-training.yaml")))
        let trained = try PipelineTests.tasks(kfp)
        #expect((0..<4).map { trained["for-loop-2(\($0)).train"]?["compute_s"] } == ["80.000000", "10.000000", "1300.000000", "25.000000"])
    }
}
