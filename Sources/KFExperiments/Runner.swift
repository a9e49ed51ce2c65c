import KFEngine
import KFScenario
import KFControlPlane
import KFWorkloads

/// Runs scenarios.
public enum Runner {
    /// Runs `scenario` under `seed` (default: the scenario's) and collects the result.
    public static func run(_ scenario: Scenario, seed: UInt64? = nil) throws -> RunResult {
        let s = seed ?? scenario.seed
        let sim = try scenario.makeSimulation(seed: s)
        sim.run()
        return RunResult(simulation: sim, scenario: scenario, seed: s)
    }
}
