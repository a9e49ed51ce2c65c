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
    /// Why a job its policy never started waits: a replica that fits on no node, or no room yet.
    func whyWaiting(_ job: TrainingJob, _ sim: ControllerContext) -> String {
        let cluster = sim.cluster
        let limitRange = cluster.namespace(named: job.spec.namespace).flatMap { cluster.namespaces[Int($0)].limitRange }
        for (type, replica) in job.spec.replicas where replica.replicas > 0 {
            let r = Admission.resources(of: replica.template, limitRange: limitRange).requests
            let fitsSomewhere = cluster.liveNodes.contains { n in
                let a = cluster.nodes[Int(n)].spec.allocatable
                return r.cpu <= a.cpu && r.memory <= a.memory && r.gpu <= a.gpu
            }
            if !fitsSomewhere {
                return "a \(type.rawValue) pod (cpu \(r.cpu)m, memory \(r.memory), gpu \(r.gpu)) fits on no node: it can never start"
            }
        }
        return "its policy found no placement for its pods while the run lasted (the cluster had no room for them)"
    }

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
            case .waiting:
                state = "waiting"
                detail = whyWaiting(job, sim)
            case .starting:
                let stuck = pods.first { $0.phase == .pending }?.reason ?? "pods not created"
                if held > 0 {
                    state = "deadlocked"
                    detail = "holds \(held) of \(wanted) pods; waiting: \(stuck)"
                } else {
                    state = "starved"
                    detail = "holds none of \(wanted) pods; waiting: \(stuck)"
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
