import KFCluster
import KFControlPlane
import KFEngine

/// What the scenario says of a step that the pipeline file cannot: its work, how likely it fails, how
/// many items a loop over a runtime value has, how likely a conditional step runs.
public struct StepProfile: Sendable {
    /// The work of each pod.
    public var work: WorkSpec
    /// Probability that an attempt fails.
    public var failureProbability: Double
    /// Items of a loop over a value known only at run time, or of a loop over a run parameter (nil:
    /// 1 for the former, the parameter's default for the latter).
    public var items: Int?
    /// Probability that a conditional step's condition holds.
    public var conditionProbability: Double
    /// Bytes each pod downloads from the object store before it computes (input artifacts, datasets).
    public var inputBytes: Distribution = .constant(0)
    /// Bytes each pod uploads to the object store after it computes (output artifacts).
    public var outputBytes: Distribution = .constant(0)
    /// Named datasets each pod reads before it computes (shared across steps and runs: cacheable).
    public var reads: [String] = []
    /// How each item of a loop scales the step's work (nil: every item does the same work).
    public var itemScale: ItemScale?
    /// The step's CPU work per run, split evenly over the items of its loop (nil: `work` per pod).
    public var splitWork: SplitWork?

    /// A run's CPU work of a step, divided among its loop's items as seed paper 1's fan-out divides it:
    /// each item gets `total / items + perItem` core-seconds, at most `threads` cores.
    public struct SplitWork: Sendable, Equatable {
        public var total: Distribution
        public var perItem: Double
        public var threads: Double?
        public init(total: Distribution, perItem: Double, threads: Double?) {
            self.total = total
            self.perItem = perItem
            self.threads = threads
        }
    }

    /// The work factor of loop items: one per item index (cycling when the loop has more items), or
    /// drawn for each item.
    public enum ItemScale: Sendable, Equatable {
        case perItem([Double])
        case drawn(Distribution)
    }
    /// A profile.
    public init(work: WorkSpec = .duration(.constant(10)), failureProbability: Double = 0, items: Int? = nil, conditionProbability: Double = 1) {
        self.work = work
        self.failureProbability = failureProbability
        self.items = items
        self.conditionProbability = conditionProbability
    }

    /// Whether its pods move data.
    public var movesData: Bool { inputBytes != .constant(0) || outputBytes != .constant(0) || !reads.isEmpty }
}

/// One run of a pipeline: its tasks expanded into nodes (loops into one node per item, DAG templates
/// into groups), with their states.
final class PipelineRun {
    enum State: String { case waiting, starting, running, retrying, succeeded, failed, skipped, omitted }

    struct Node {
        var name: String
        var template: String
        var parent: Int
        var deps: [Int] = []
        var children: [Int] = []
        /// Children that have ended (a group ends when all have: counted, not scanned per child).
        var endedChildren = 0
        var isContainer: Bool
        var parallelism: Int?
        var conditional = false
        var runsAfterFailure = false
        /// Its `depends` expression over `depNames` (nil: all dependencies good).
        var depends: DependsExpression?
        var depNames: [String] = []
        var continueOnFailure = false
        /// A DAG group that stops starting tasks after a failure, and whether one happened.
        var failFast = false, stopped = false
        /// Its index in its loop (-1: not a loop item).
        var item = -1
        var retry: PipelineRetry?
        var cacheEnabled = false
        /// `hit`, `miss` or empty (caching off for the step).
        var cache = ""
        var state: State = .waiting
        var attempts = 0
        var pod: PodID = -1
        var ready: SimTime = -1, started: SimTime = -1, finished: SimTime = -1
        /// Seconds the last attempt spent moving data and computing (-1: not measured).
        var ioSeconds = -1.0, computeSeconds = -1.0
        var isTerminal: Bool {
            switch state {
            case .succeeded, .failed, .skipped, .omitted: true
            default: false
            }
        }
        var isGood: Bool { state == .succeeded || state == .skipped }
    }

    let job: JobID
    let name: String
    var nodes: [Node] = []
    var runningPods = 0
    var done = false
    /// The work drawn for this run of each step whose work is split over its items.
    var splitWork: [String: Double] = [:]
    /// The variant of each multi-variant dataset this run reads.
    var variant: [String: Int] = [:]

    /// The dataset this run reads for `name` (`name#k` for a dataset with variants).
    func dataset(_ name: String) -> String { variant[name].map { "\(name)#\($0)" } ?? name }

    /// Expands `spec` (loops at their item counts) into nodes; node 0 is the entry DAG.
    init(job: JobID, name: String, spec: PipelineSpec, items: (PipelineTask) -> Int?) {
        self.job = job
        self.name = name
        nodes.append(Node(name: name, template: spec.entry, parent: -1, isContainer: false, parallelism: spec.templates[spec.entry]?.parallelism))
        nodes[0].state = .running
        nodes[0].failFast = spec.templates[spec.entry]?.failFast ?? true
        expand(spec, template: spec.entry, into: 0, items: items)
        waitingNodes = nodes.indices.filter { nodes[$0].state == .waiting }
    }

    /// The nodes still waiting, in index order (nodes leave the waiting state once and never return):
    /// what a reconcile looks at, instead of every node of the run.
    var waitingNodes: [Int] = []

    /// Adds the tasks of DAG `template` as children of node `parent`.
    private func expand(_ spec: PipelineSpec, template: String, into parent: Int, items: (PipelineTask) -> Int?) {
        guard case .dag(let tasks)? = spec.templates[template]?.body else { return }
        var nodeOfTask: [String: Int] = [:]
        for task in tasks {
            let t = spec.templates[task.template]!
            let base = "\(nodes[parent].parent < 0 ? "" : nodes[parent].name + ".")\(task.name)"
            let retry = task.retry ?? t.retry
            func add(_ nodeName: String, under p: Int, item: Int = -1) -> Int {
                let isContainer: Bool
                if case .container = t.body { isContainer = true } else { isContainer = false }
                nodes.append(Node(name: nodeName, template: task.template, parent: p, isContainer: isContainer, parallelism: t.parallelism,
                                  conditional: task.conditional, runsAfterFailure: task.runsAfterFailure, continueOnFailure: task.continueOnFailure,
                                  failFast: !isContainer && t.failFast, item: item, retry: retry, cacheEnabled: task.cacheEnabled || t.cacheEnabled))
                let i = nodes.count - 1
                nodes[p].children.append(i)
                if !isContainer { expand(spec, template: task.template, into: i, items: items) }
                return i
            }
            if let loop = task.loop {
                // A loop is a group of its iterations (the loop's parallelism limit applies to them).
                let count: Int
                switch loop {
                case .fixed(let n): count = n
                case .runtime: count = items(task) ?? 1
                case .parameter(let n): count = items(task) ?? n
                }
                nodes.append(Node(name: base, template: task.template, parent: parent, isContainer: false, parallelism: task.loopParallelism,
                                  runsAfterFailure: task.runsAfterFailure, continueOnFailure: task.continueOnFailure))
                let group = nodes.count - 1
                nodes[parent].children.append(group)
                for i in 0..<count { _ = add("\(base)(\(i))", under: group, item: i) }
                nodeOfTask[task.name] = group
            } else {
                nodeOfTask[task.name] = add(base, under: parent)
            }
        }
        for task in tasks {
            let i = nodeOfTask[task.name]!
            nodes[i].depNames = task.dependencies.filter { nodeOfTask[$0] != nil }
            nodes[i].deps = nodes[i].depNames.map { nodeOfTask[$0]! }
            nodes[i].depends = task.depends
        }
    }

    /// The steps (container nodes) `node` waited for: those under its dependencies and under its
    /// ancestors' dependencies.
    func stepsBefore(_ node: Node) -> [String] {
        var out: [String] = []
        func leaves(_ i: Int) {
            if nodes[i].isContainer { out.append(nodes[i].name) } else { for c in nodes[i].children { leaves(c) } }
        }
        var current: Node? = node
        while let n = current {
            for d in n.deps { leaves(d) }
            current = n.parent >= 0 ? nodes[n.parent] : nil
        }
        return out
    }

    /// Running (started, unfinished) children of a group.
    func activeChildren(_ g: Int) -> Int {
        nodes[g].children.reduce(0) { $0 + ([.starting, .running, .retrying].contains(nodes[$1].state) ? 1 : 0) }
    }
}
