import KFConfig
import ArgumentParser
import Foundation
import KFExperiments
import KFScenario
import KFControlPlane
import KFWorkloads

/// Prints `error: ...` and exits with `code`.
func fail(_ message: String, code: Int32) -> ExitCode {
    FileHandle.standardError.write(Data("error: \(message)\n".utf8))
    return ExitCode(code)
}

/// The exit code for an error: 2 for bad input, 1 otherwise.
func exitCodeReporting(_ error: Error) -> ExitCode {
    switch error {
    case let e as ConfigError: return fail(e.description, code: 2)
    case let e as SweepError: return fail(e.description, code: 2)
    case let e as OutputFolder.Problem: return fail(e.description, code: e.refused ? 2 : 1)
    default: return fail("\(error)", code: 1)
    }
}

struct Sweep: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Run a grid of scenario variants times replication seeds; write runs.csv, points.csv and comparisons.csv.")

    @Argument(help: "The scenario file (YAML); its sweep: section, if any, gives default parameters and seeds.")
    var scenario: String

    @Option(name: .customLong("param"), help: ArgumentHelp("A swept key: key=v1,v2,... or key=start:stop:step (repeatable).", valueName: "key=values"))
    var parameters: [String] = []

    @Option(help: ArgumentHelp("Replication seeds: a count N (seeds 1 to N), a range 3..7 or a list 1,2,5.", valueName: "seeds"))
    var seeds: String?

    @Option(help: ArgumentHelp("Swept keys that vary together (their i-th values go together), e.g. --zip a,b (repeatable).", valueName: "key,key"))
    var zip: [String] = []

    @Option(help: "Runs in parallel (default: all cores).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: ArgumentHelp("Run only shard I of N (I/N); with N alone, I comes from JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID.", valueName: "I/N"))
    var shard: String?

    @Flag(help: "Finish an interrupted sweep in --out without repeating or losing a run.")
    var resume = false

    @Option(help: "Output folder (default: results/sweeps/<scenario name>).")
    var out: String?

    @Option(help: ArgumentHelp("Baseline of paired comparisons: a swept key and one of its values.", valueName: "key=value"))
    var baseline: String?

    @Option(name: .customLong("set"), help: ArgumentHelp("Override a scenario value in every run.", valueName: "key.path=value"))
    var overrides: [String] = []

    @Flag(help: "No progress output.")
    var quiet = false

    func run() throws {
        var swept: [SweepDefinition.Parameter] = []
        for p in parameters {
            guard let eq = p.firstIndex(of: "="), eq != p.startIndex else { throw fail("--param '\(p)' is not key=values", code: 2) }
            switch SweepDefinition.values(String(p[p.index(after: eq)...])) {
            case .success(let values): swept.append(.init(key: String(p[..<eq]), values: values))
            case .failure(let e): throw fail("--param \(p): \(e.message)", code: 2)
            }
        }
        var seedList: [UInt64]?
        if let seeds {
            switch SweepDefinition.seeds(seeds) {
            case .success(let s): seedList = s
            case .failure(let e): throw fail("--seeds: \(e.message)", code: 2)
            }
        }
        var base: (key: String, value: String)?
        if let baseline {
            guard let eq = baseline.firstIndex(of: "=") else { throw fail("--baseline '\(baseline)' is not key=value", code: 2) }
            base = (String(baseline[..<eq]), String(baseline[baseline.index(after: eq)...]))
        }
        var shardValue: Shard?
        if let shard {
            if let s = Shard.parse(shard) {
                shardValue = s
            } else if let n = Int(shard), n > 0 {
                guard let i = Shard.indexFromEnvironment() else {
                    throw fail("--shard \(n) needs JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID in the environment", code: 2)
                }
                guard i >= 0 && i < n else { throw fail("shard index \(i) from the environment is not below \(n)", code: 2) }
                shardValue = Shard(index: i, count: n)
            } else {
                throw fail("--shard '\(shard)' is not I/N (0 <= I < N) or N", code: 2)
            }
        }
        guard jobs >= 1 else { throw fail("--jobs must be at least 1", code: 2) }
        do {
            let plan = try SweepPlan(scenarioPath: scenario, fixedOverrides: overrides, parameters: swept, seeds: seedList, baseline: base,
                                     links: zip.map { $0.split(separator: ",").map(String.init) })
            let directory = out ?? "results/sweeps/\(plan.scenarioName)"
            let runner = SweepRunner(plan: plan, directory: directory, jobs: jobs, shard: shardValue, resume: resume, showProgress: !quiet)
            try runner.run()
            if !quiet {
                let what = shardValue.map { "shard \($0.index)/\($0.count) of " } ?? ""
                print("\(what)\(plan.runCount) runs (\(plan.points.count) points x \(plan.seeds.count) seeds) -> \(directory)")
            }
        } catch let e as ExitCode {
            throw e
        } catch {
            throw exitCodeReporting(error)
        }
    }
}

struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge the outputs of sweep shards into the files the unsharded sweep would have written.")

    @Argument(help: "The scenario file the shards ran.")
    var scenario: String

    @Argument(help: "The shards' output folders.")
    var shards: [String]

    @Option(help: "Output folder.")
    var out: String

    func run() throws {
        guard let first = shards.first else { throw fail("give at least one shard folder", code: 2) }
        do {
            let plan = try SweepPlan.fromShard(first, scenarioPath: scenario)
            _ = try SweepMerge.merge(plan: plan, shards: shards, into: out)
            print("merged \(shards.count) shards, \(plan.runCount) runs -> \(out)")
        } catch {
            throw exitCodeReporting(error)
        }
    }
}

struct Fit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fit",
        abstract: "Fit Amdahl's law and the Universal Scalability Law to a sweep's speedup curve; write speedup.csv and fit.json.")

    @Argument(help: "A finished sweep's output folder (runs.csv).")
    var sweep: String

    @Option(help: "The swept key that counts containers (N).")
    var x: String

    @Option(help: "The metric whose ratio is the speedup.")
    var metric: String = "jct_mean_s"

    func run() throws {
        do {
            let analysis = try SpeedupAnalysis(directory: sweep, key: x, metric: metric)
            try analysis.write(to: sweep)
            for c in analysis.curves {
                let group = zip(analysis.groupKeys, c.group).map { "\($0)=\($1)" }.joined(separator: " ")
                print(String(format: "%@amdahl s=%.4f (R² %.3f); usl σ=%.4f κ=%.5f (R² %.3f); best N observed %@, predicted %@",
                             group.isEmpty ? "" : group + ": ", c.amdahl.serialFraction, c.amdahl.fit.rSquared,
                             c.usl.sigma, c.usl.kappa, c.usl.fit.rSquared,
                             String(Int(c.observedBest)), String(Int(c.predictedBest))))
            }
        } catch {
            throw exitCodeReporting(error)
        }
    }
}

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Render a self-contained HTML page for a run or sweep folder (report.html in it, or --out).")

    @Argument(help: "A run's or a sweep's output folder.")
    var directory: String

    @Option(help: "Where to write the page (default: DIR/report.html).")
    var out: String?

    func run() throws {
        let html: String
        do { html = try HTMLReport.render(directory: directory) } catch { throw exitCodeReporting(error) }
        let path = out ?? "\(directory)/report.html"
        do { try AtomicFile.write(html, to: path) } catch { throw fail(error.description, code: 1) }
        print(path)
    }
}

struct OptimusFitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "optimus-fit",
        abstract: "Fit Optimus's synchronous speed model per model to measured PS training speeds (non-negative least squares).")

    @Argument(help: "The measurements (DL2 config_speed.txt format).")
    var file: String = "../shared/data/ps-speed/config_speed.txt"

    @Option(help: "Write optimus-fit.csv into this folder.")
    var out: String?

    func run() throws {
        do {
            let fits = OptimusFit.fit(try OptimusFit.read(file: file))
            if let out {
                try AtomicFile.makeDirectory(out)
                try AtomicFile.write(OptimusFit.csv(fits), to: "\(out)/optimus-fit.csv")
            }
            print("model                     samples   MAPE   max APE")
            for f in fits {
                let name = f.model.padding(toLength: 25, withPad: " ", startingAt: 0)
                print(name + String(format: " %7d %6.1f%% %8.1f%%", f.samples, f.meanAbsolutePercentageError * 100,
                                    f.maxAbsolutePercentageError * 100))
            }
        } catch let e as InputError {
            throw fail(e.description, code: 2)
        } catch {
            throw exitCodeReporting(error)
        }
    }
}
