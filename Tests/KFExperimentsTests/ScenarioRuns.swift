import Foundation
import KFScenario
@testable import KFExperiments

/// Runs scenario text written in a test (relative paths resolve in a fresh temporary folder).
func runScenario(_ yaml: String, _ overrides: [String] = [], seed: UInt64? = nil,
                 registries: Registries = .builtIn) throws -> RunResult {
    let scenario = try ScenarioLoader.parse(text: yaml, file: Paths.temporary() + "/scenario.yaml", overrides: overrides,
                                            registries: registries)
    return try Runner.run(scenario, seed: seed)
}
