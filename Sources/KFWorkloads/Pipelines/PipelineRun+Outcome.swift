/// How failures travel through a run, as Argo's DAG logic decides them (workflow/controller/dag.go):
/// when a task may start given how its dependencies ended, when a DAG stops starting tasks (fail fast),
/// and what a DAG's result is once its tasks have ended (assessDAGPhase: the branches of its leaf tasks).
extension PipelineRun {
    /// The loop iteration node `n` belongs to (itself, or the nearest enclosing iteration: a KFP loop's
    /// body is a DAG per item), with its item index and the loop's item count; nil outside loops.
    func iteration(of n: Int) -> (item: Int, count: Int)? {
        var i = n
        while i >= 0 {
            if nodes[i].item >= 0 { return (nodes[i].item, nodes[nodes[i].parent].children.count) }
            i = nodes[i].parent
        }
        return nil
    }

    /// Whether node `n`, whose dependencies have all ended, runs (false: it is omitted). Exit handlers
    /// run whatever happened; a `depends` expression decides for itself; otherwise every dependency must
    /// have succeeded or been skipped (a failure the dependency continues on counts as success), and the
    /// enclosing fail-fast DAGs must not have stopped.
    func shouldStart(_ n: Int) -> Bool {
        let node = nodes[n]
        if node.runsAfterFailure { return true }
        if let expression = node.depends {
            return expression.holds { name in outcome(node.deps[node.depNames.firstIndex(of: name)!]) }
        }
        if isStopped(n) { return false }
        return node.deps.allSatisfy { nodes[$0].isGood || (nodes[$0].state == .failed && nodes[$0].continueOnFailure) }
    }

    /// Whether a fail-fast DAG enclosing `n` has seen a failure (it then starts no new task, except exit
    /// handlers and tasks whose `depends` expression names the results it waits for).
    func isStopped(_ n: Int) -> Bool {
        var p = nodes[n].parent
        while p >= 0 {
            if nodes[p].stopped { return true }
            p = nodes[p].parent
        }
        return false
    }

    /// Records that node `n` failed: the nearest fail-fast DAG around it stops (unless it continues on
    /// failure).
    func noteFailure(_ n: Int) {
        guard !nodes[n].continueOnFailure else { return }
        var p = nodes[n].parent
        while p >= 0 && !nodes[p].failFast { p = nodes[p].parent }
        if p >= 0 { nodes[p].stopped = true }
    }

    /// What a dependency ended as, for a `depends` expression: its state, whether it continues on
    /// failure and, for a loop, whether any item succeeded and whether all failed.
    func outcome(_ i: Int) -> (state: String, continuesOnFailure: Bool, anySucceeded: Bool, allFailed: Bool) {
        let node = nodes[i]
        let items = node.children.map { nodes[$0].state }
        return (node.state.rawValue, node.continueOnFailure, items.contains(.succeeded), !items.isEmpty && items.allSatisfy { $0 == .failed })
    }

    /// The result of group `g` once all its children ended: a loop fails if an item failed; a DAG fails
    /// if the branch of one of its leaf tasks (tasks no sibling depends on) failed. A branch fails at a
    /// failed task and stays failed through the tasks omitted after it; exit handlers leave it as it was.
    func groupResult(_ g: Int) -> PipelineRun.State {
        let children = nodes[g].children
        let isLoop = children.first.map { nodes[$0].item >= 0 } ?? false
        if isLoop {
            return children.contains { nodes[$0].state == .failed && !nodes[$0].continueOnFailure } ? .failed : .succeeded
        }
        var depended = Set<Int>()
        for c in children { depended.formUnion(nodes[c].deps) }
        var memo: [Int: Bool] = [:]
        func branchFailed(_ i: Int) -> Bool {
            if let known = memo[i] { return known }
            let node = nodes[i]
            let upstream = node.deps.contains(where: branchFailed)
            let failed: Bool
            switch node.state {
            case .failed: failed = !node.continueOnFailure
            case .omitted: failed = upstream || node.deps.isEmpty
            default: failed = node.runsAfterFailure && upstream
            }
            memo[i] = failed
            return failed
        }
        return children.contains { !depended.contains($0) && branchFailed($0) } ? .failed : .succeeded
    }
}
