import ArgumentParser
import Foundation
import KFExperiments
import KFScenario

/// `kfsim fill`: the GPU-sharing "fill the cluster" experiment (Weng et al., ATC 2023).
struct Fill: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fill",
        abstract: "Submit a trace's pods one by one (times ignored) until the cluster's GPUs are full; write fill.csv.",
        discussion: """
            The scenario's first Trace workload gives the pods (use gpuSharing: true for openb's GPU shares); each pod \
            gets one scheduling cycle and is dropped if unschedulable. fill.csv has, per policy, seed and arrived GPU \
            demand (percent of the cluster's GPUs), the allocated and fragmented GPU (Weng et al.'s measure).
            """)

    @OptionGroup var options: ScenarioOptions

    @Option(help: ArgumentHelp("Score policies to compare (comma-separated): \(GPUFill.policies.map(\.name).joined(separator: ", ")); default: the scenario's scheduler.", valueName: "names"))
    var policies: String?

    @Option(help: ArgumentHelp("Seeds: a seed, a range 42..51 (or 42-51) or a list 42,45,47.", valueName: "seeds"))
    var seeds: String = "1"

    @Option(help: "Submission order: shuffled (by the seed, as the study) or trace.")
    var order: String = "shuffled"

    @Option(help: "GPU demand to submit, as a multiple of the cluster's GPUs (the study: 1.3).")
    var demand: Double = 1.3

    @Option(help: "Output folder (default: results/fill/<scenario name>).")
    var out: String?

    func run() throws {
        let scenario = try options.load()
        guard let order = GPUFill.Order(rawValue: order) else { throw fail("--order: '\(order)' is not one of shuffled, trace", code: 2) }
        guard demand > 0 && demand <= 10 else { throw fail("--demand: must be in (0, 10], got \(demand)", code: 2) }
        let seedList: [UInt64]
        switch SweepDefinition.seedList(seeds) {
        case .success(let list) where list.count <= 10_000: seedList = list
        case .success: throw fail("--seeds: at most 10000 seeds, got '\(seeds)'", code: 2)
        case .failure(let e): throw fail("--seeds: \(e.message)", code: 2)
        }
        let names = policies.map { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } } ?? ["scenario"]
        var runs: [(policy: String, seed: UInt64, result: GPUFill.Result)] = []
        for name in names {
            guard let s = name == "scenario" ? scenario : GPUFill.withPolicy(scenario, name) else {
                throw fail("--policies: unknown policy '\(name)'; accepted: \(GPUFill.policies.map(\.name).joined(separator: ", "))", code: 2)
            }
            for seed in seedList {
                do { runs.append((name, seed, try GPUFill.run(s, seed: seed, order: order, demand: demand))) } catch {
                    throw fail("\(error)", code: 2)
                }
                let r = runs.last!.result
                let full = r.allocatedAtFull.map { String(format: "%.2f%%", $0) } ?? "never reached"
                print("\(name) seed \(seed): \(r.pods) pods, \(r.failed) dropped, allocated at 100% arrived: \(full)")
            }
        }
        let directory = out ?? "results/fill/\(scenario.name)"
        do {
            try AtomicFile.makeDirectory(directory)
            try AtomicFile.write(GPUFill.csv(runs), to: "\(directory)/fill.csv")
        } catch { throw fail(error.description, code: 1) }
        print("outputs:     \(directory)/fill.csv")
    }
}
