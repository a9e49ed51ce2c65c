import KFCluster
import KFControlPlane
import KFEngine

/// One training job's outcome, for `training.csv` and the summary.
public struct TrainingRow: Sendable, Equatable {
    public var job: String
    public var model: String
    public var ps: Int
    public var workersInitial: Int
    public var workersFinal: Int
    public var rescales: Int
    public var restarts: Int
    public var iterations: Double
    public var submitted: SimTime
    public var trainingStarted: SimTime
    public var finished: SimTime
    /// Mean iterations per second over the time spent training.
    public var meanIterationsPerSecond: Double
    public var crossNodeBytes: Double
    /// `completed`, `failed`, `running`, `deadlocked` (holds some of its pods, waits for the rest), `starved`
    /// (holds none) or `waiting` (never started by its policy).
    public var state: String
    /// Pods held and wanted, for deadlocked jobs.
    public var detail: String
}

extension TrainingRuntime {
    /// The outcome of every training job, classifying the unfinished ones.
    public func report(_ sim: ControllerContext) -> [TrainingRow] {
        jobs.map { job in
            advance(job, to: sim.now)
            let pods = job.pods.map { sim.cluster.pods[Int($0)] }
            let held = pods.filter { $0.phase == .starting || $0.phase == .running }.count
            let wanted = pods.count + job.pendingCreations
            var state: String
            var detail = ""
            switch job.state {
            case .done:
                state = job.failureReason == nil ? "completed" : "failed"
                detail = job.failureReason ?? ""
            case .running: state = "running"
            case .waiting: state = "waiting"
            case .starting:
                if held > 0 {
                    state = "deadlocked"
                    let stuck = pods.first { $0.phase == .pending }?.reason ?? "pods not created"
                    detail = "holds \(held) of \(wanted) pods; waiting: \(stuck)"
                } else {
                    state = "starved"
                }
            }
            return TrainingRow(job: job.spec.name, model: job.spec.profile.model, ps: job.psPods.isEmpty ? job.spec.psCount : job.psPods.count,
                               workersInitial: job.spec.spec(.worker)?.replicas ?? 0, workersFinal: job.targetWorkers,
                               rescales: job.rescales, restarts: job.restarts, iterations: job.iterationsDone, submitted: job.submittedAt,
                               trainingStarted: job.trainingStartedAt, finished: job.state == .done ? sim.jobs[Int(job.id)].finishedAt : -1,
                               meanIterationsPerSecond: job.trainingSeconds > 0 ? job.iterationsDone / job.trainingSeconds : 0,
                               crossNodeBytes: job.crossNodeBytes, state: state, detail: detail)
        }
    }
}
