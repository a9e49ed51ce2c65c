import Foundation
import KFScenario

/// Runs a sweep's runs on `jobs` threads, journaling each finished run so that `--resume` picks up
/// after an interruption, and writes the outputs atomically when all runs of the shard are done.
public final class SweepRunner: @unchecked Sendable {
    /// The plan.
    public let plan: SweepPlan
    /// Output folder.
    public let directory: String
    /// Threads.
    public let jobs: Int
    /// The shard to run (nil: all runs).
    public let shard: Shard?
    /// Whether to finish an interrupted sweep.
    public let resume: Bool
    /// Whether to report progress on standard error.
    public let showProgress: Bool

    private let lock = NSLock()
    private var table: SweepTable
    private var pending: [Int] = []
    private var next = 0
    private var failure: Error?
    private var scenarios: [Int: Scenario] = [:]

    /// A runner.
    public init(plan: SweepPlan, directory: String, jobs: Int, shard: Shard?, resume: Bool, showProgress: Bool) {
        self.plan = plan
        self.directory = directory
        self.jobs = max(1, jobs)
        self.shard = shard
        self.resume = resume
        self.showProgress = showProgress
        self.table = SweepTable(plan: plan)
    }

    /// Runs what is left and writes the outputs; returns the table.
    @discardableResult
    public func run() throws -> SweepTable {
        try plan.validate()
        try OutputFolder.claim(directory, kind: "sweep")
        let journal = SweepJournal(directory: directory)
        if journal.exists && !resume {
            throw SweepError("\(directory) holds an interrupted sweep (\(SweepJournal.fileName)); finish it with --resume or remove the file")
        }
        if resume { table.rows = try journal.recorded(identity: plan.identity) }
        let mine = (0..<plan.runCount).filter { shard?.owns($0) ?? true }
        table.rows = table.rows.filter { mine.contains($0.key) }
        pending = mine.filter { table.rows[$0] == nil }
        try journal.open(identity: plan.identity)
        let progress = SweepProgress(total: mine.count, alreadyDone: mine.count - pending.count, enabled: showProgress)
        let resumedFrom = mine.count - pending.count
        DispatchQueue.concurrentPerform(iterations: min(jobs, max(pending.count, 1))) { _ in
            while let index = takeNext() {
                do {
                    let point = index / plan.seeds.count
                    let result = try Runner.run(try scenario(point), seed: plan.seeds[index % plan.seeds.count])
                    let row = SweepTable.row(plan: plan, run: index, summary: result.summary)
                    try finish(index, row: row, journal: journal, progress: progress, resumedFrom: resumedFrom)
                } catch {
                    lock.withLock { if failure == nil { failure = error } }
                    return
                }
            }
        }
        journal.close()
        if let failure { throw failure }
        try writeOutputs(table, shard: shard, to: directory)
        journal.remove()
        return table
    }

    /// The scenario of a point, parsed once and shared by its seeds' runs (read-only: every run makes its
    /// own simulation from it).
    private func scenario(_ point: Int) throws -> Scenario {
        if let known = lock.withLock({ scenarios[point] }) { return known }
        let parsed = try plan.scenario(point: point)
        lock.withLock { scenarios[point] = parsed }
        return parsed
    }

    private func takeNext() -> Int? {
        lock.withLock {
            guard failure == nil, next < pending.count else { return nil }
            defer { next += 1 }
            return pending[next]
        }
    }

    private func finish(_ index: Int, row: String, journal: SweepJournal, progress: SweepProgress, resumedFrom: Int) throws {
        try lock.withLock {
            try journal.record(index, row: row)
            table.rows[index] = row
            progress.tick(resumedFrom: resumedFrom)
        }
    }
}

/// Writes a sweep's outputs, replacing the folder as a whole: `runs.csv` and `sweep.json`; for a whole
/// sweep also `points.csv` and, when there is something to compare, `comparisons.csv`.
public func writeOutputs(_ table: SweepTable, shard: Shard?, to directory: String) throws {
    var files: [(name: String, contents: String)] = [("runs.csv", table.runsCSV)]
    if shard == nil {
        files.append(("points.csv", table.pointsCSV))
        if let comparisons = table.comparisonsCSV { files.append(("comparisons.csv", comparisons)) }
    }
    files.append(("sweep.json", table.sweepJSON(shard: shard)))
    try OutputFolder.replace(directory, kind: "sweep", files: files)
}
