import ArgumentParser
import CSystem
import Foundation
import KFExperiments
import KFScenario

@main
struct KFSim: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kfsim",
        abstract: "A deterministic discrete-event simulator of Kubernetes clusters running Kubeflow workloads.",
        version: kfsimVersion,
        subcommands: [Run.self, Validate.self, Sweep.self, Merge.self, Fit.self, Report.self, OptimusFitCommand.self, Fill.self])

    /// Parses and runs a command; a bad argument exits 2 (as a bad scenario does), not
    /// ArgumentParser's 64.
    static func main() {
        kfsim_tune_heap()
        CleanupOnSignal.install()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}

/// Options shared by commands that read a scenario.
struct ScenarioOptions: ParsableArguments {
    @Argument(help: "The scenario file (YAML).")
    var scenario: String

    @Option(name: .customLong("set"), help: ArgumentHelp("Override a scenario value, e.g. --set workloads.fanout.containers=8.",
                                                          valueName: "key.path=value"))
    var overrides: [String] = []

    func load() throws -> Scenario {
        do {
            let s = try ScenarioLoader.load(path: scenario, overrides: overrides)
            for w in s.warnings { FileHandle.standardError.write(Data("warning: \(w)\n".utf8)) }
            return s
        } catch {
            FileHandle.standardError.write(Data("error: \(error.description)\n".utf8))
            throw ExitCode(2)
        }
    }
}

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Run a scenario and write pods.csv, jobs.csv, timeseries.csv and summary.json.")

    @OptionGroup var options: ScenarioOptions

    @Option(help: "Seed (default: the scenario's spec.seed).")
    var seed: UInt64?

    @Option(help: "Output folder (default: results/runs/<scenario name>).")
    var out: String?

    @Flag(help: "Print nothing on success.")
    var quiet = false

    @Option(help: ArgumentHelp("Also write a Chrome/Perfetto trace-event JSON of the run (opens in ui.perfetto.dev).", valueName: "file"))
    var trace: String?

    func run() throws {
        let scenario = try options.load()
        let directory = out ?? "results/runs/\(scenario.name)"
        // Refuse a folder kfsim may not write before spending the run.
        do { try OutputFolder.check(directory) } catch { throw fail(error.description, code: 2) }
        let start = DispatchTime.now().uptimeNanoseconds
        let result: RunResult
        do { result = try Runner.run(scenario, seed: seed) } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(1)
        }
        let wall = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        var written: [String]
        do { written = try OutputWriter.write(result, to: directory) } catch {
            throw fail(error.description, code: error.refused ? 2 : 1)
        }
        if let trace {
            do { try AtomicFile.write(TraceEvents.json(result), to: trace) } catch { throw fail(error.description, code: 1) }
            written.append(trace)
        }
        if !quiet { print(HumanSummary.render(result, wallSeconds: wall, outputs: written), terminator: "") }
        for w in result.warnings { FileHandle.standardError.write(Data("warning: \(w)\n".utf8)) }
        let s = result.summary
        // A void run is a failure, not a result: nothing to compare, no mean to read.
        if let why = s.nothingRan { throw fail(why, code: 1) }
        if s.jobsUnfinished > 0 {
            FileHandle.standardError.write(Data(("warning: \(s.jobsUnfinished) of \(s.jobsTotal) jobs unfinished at the stop "
                + "(\(result.stopReason.rawValue)); jct_mean_s covers finished jobs, jct_mean_censored_s counts the rest at the stop\n").utf8))
        }
    }
}

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "validate", abstract: "Validate a scenario without running it.")

    @OptionGroup var options: ScenarioOptions

    func run() throws {
        let s = try options.load()
        // Everything `run` builds before simulating is built here too (scheduler profiles, controllers).
        do { _ = try s.makeSimulation() } catch { throw fail("\(options.scenario): \(error)", code: 2) }
        print("\(options.scenario): valid (\(s.nodes.count) nodes, \(s.namespaces.count) namespaces, \(s.workloads.count) workloads)")
    }
}
