import KFCluster

/// A pipeline as kfsim runs it, whatever it was written in (a KFP v2 compiled pipeline or an Argo
/// Workflow): templates that are either a container (a pod) or a DAG of tasks, and the entry template.
public struct PipelineSpec: Sendable {
    /// The pipeline's name (`pipelineInfo.name`, `metadata.name` or `generateName`).
    public var name: String
    /// Templates (KFP components) by name.
    public var templates: [String: PipelineTemplate]
    /// The template a run starts from (a DAG).
    public var entry: String
    /// At most this many pods of one run at a time (Argo `spec.parallelism`; nil: no limit).
    public var parallelism: Int?
    /// The template run after the entry ends, whatever its result (Argo `spec.onExit`; nil: none).
    public var onExit: String?

    /// This pipeline with its exit handler as a task: a DAG of the entry and, after it whatever its
    /// result, the `onExit` template (which does not change the run's result).
    public func exitHandlerAsTask() -> PipelineSpec {
        guard let onExit else { return self }
        var copy = self
        let wrapper = "\(entry) (with onExit)"
        let main = PipelineTask(name: entry, template: entry, dependencies: [], loop: nil, loopParallelism: nil, conditional: false, retry: nil, location: "spec.entrypoint")
        var exit = PipelineTask(name: "onExit", template: onExit, dependencies: [entry], loop: nil, loopParallelism: nil, conditional: false, retry: nil, location: "spec.onExit")
        exit.runsAfterFailure = true
        copy.templates[wrapper] = PipelineTemplate(name: wrapper, body: .dag([main, exit]), parallelism: nil, retry: nil)
        copy.entry = wrapper
        copy.onExit = nil
        return copy
    }

    /// This pipeline with a container entry wrapped in a DAG of that one step (an Argo Workflow whose
    /// entrypoint is a container template).
    public func entryAsDAG() -> PipelineSpec {
        guard case .container? = templates[entry]?.body else { return self }
        var copy = self
        let wrapper = "\(entry) (workflow)"
        copy.templates[wrapper] = PipelineTemplate(name: wrapper, body: .dag([PipelineTask(
            name: entry, template: entry, dependencies: [], loop: nil, loopParallelism: nil, conditional: false, retry: nil, location: "spec.entrypoint")]),
            parallelism: nil, retry: nil)
        copy.entry = wrapper
        return copy
    }

    /// Task count of one run with every loop at `loopCount` items (for checks and tests).
    public func taskCount(loopCount: (PipelineLoop) -> Int) -> Int {
        func count(_ template: String) -> Int {
            guard let t = templates[template] else { return 0 }
            switch t.body {
            case .container: return 1
            case .dag(let tasks):
                return tasks.reduce(0) { sum, task in
                    sum + (task.loop.map(loopCount) ?? 1) * count(task.template)
                }
            }
        }
        return count(entry)
    }
}

/// A template: a container step or a DAG of tasks.
public struct PipelineTemplate: Sendable {
    /// What the template does.
    public enum Body: Sendable {
        /// One pod (its template: image and resources as written; name and work come at run time).
        case container(PodSpec)
        /// Tasks with dependencies (Argo `steps` become a DAG: each group after the previous one).
        case dag([PipelineTask])
    }
    /// Name (Argo template name, KFP component name).
    public var name: String
    /// The body.
    public var body: Body
    /// At most this many children running at once (Argo template `parallelism`; nil: no limit).
    public var parallelism: Int?
    /// Retries of a failed container step.
    public var retry: PipelineRetry?
    /// Its executions may be reused (Argo `memoize`).
    public var cacheEnabled = false
    /// A DAG stops starting tasks (other than exit handlers and tasks with a `depends` expression) once
    /// one of its tasks failed (Argo `dag.failFast`, true unless set false).
    public var failFast = true
}

/// A task of a DAG.
public struct PipelineTask: Sendable {
    /// Name, unique in its DAG.
    public var name: String
    /// The template it runs.
    public var template: String
    /// Sibling tasks it waits for (Argo `dependencies`/`depends`, KFP `dependentTasks`).
    public var dependencies: [String]
    /// A loop over items (ParallelFor, `withItems`, `withParam`, `withSequence`), nil: runs once.
    public var loop: PipelineLoop?
    /// At most this many iterations at once (KFP `iteratorPolicy.parallelismLimit`; nil: no limit).
    public var loopParallelism: Int?
    /// Runs only when a condition holds (Argo `when`, KFP `triggerPolicy.condition`); the scenario gives
    /// its probability.
    public var conditional: Bool
    /// Retries of the task (KFP `retryPolicy`; an Argo step's `retryStrategy`).
    public var retry: PipelineRetry?
    /// Where it was read (for messages): its key path, and line and column in the file (0: unknown).
    public var location: String
    public var line = 0, column = 0
    /// Runs once its dependencies are done even if some failed (KFP exit handlers,
    /// `ALL_UPSTREAM_TASKS_COMPLETED`).
    public var runsAfterFailure = false
    /// Its executions may be reused (KFP `cachingOptions.enableCache`, Argo `memoize`).
    public var cacheEnabled = false
    /// When it runs, given how its dependencies ended (Argo `depends`; nil: when all succeeded or were
    /// skipped).
    public var depends: DependsExpression?
    /// Its failure counts as success for its dependents and its DAG (Argo `continueOn: {failed|error}`).
    public var continueOnFailure = false
}

/// How many items a loop has.
public enum PipelineLoop: Sendable, Equatable {
    /// Items written in the file (`withItems`, `raw` items, `withSequence`).
    case fixed(Int)
    /// Items known only at run time (`withParam`, a task's output): the scenario gives the count.
    case runtime
    /// Items from a run parameter (a pipeline input's list): its default count, unless the scenario
    /// gives the run's count (`items`).
    case parameter(Int)
}

/// Retries of a failed step: at most `limit` more attempts, the n-th after `backoff * factor^(n-1)`
/// seconds, capped at `maxBackoff`.
public struct PipelineRetry: Sendable, Equatable {
    /// Retries after the first attempt.
    public var limit: Int
    /// First backoff, seconds.
    public var backoff: Double
    /// Growth of the backoff.
    public var factor: Double
    /// Largest backoff (nil: none).
    public var maxBackoff: Double?

    /// The delay before retry `n` (1-based).
    public func delay(retry n: Int) -> Double {
        var d = backoff
        for _ in 1..<max(n, 1) { d *= factor }
        if let cap = maxBackoff { d = min(d, cap) }
        return min(max(d, 0), 1e9)
    }
}
