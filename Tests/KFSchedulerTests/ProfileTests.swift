import Testing
@testable import KFScheduler

@Suite struct ProfileTests {
    func error(_ config: ProfileConfiguration) -> ProfileError? {
        do { _ = try Profile(config); return nil } catch { return error }
    }

    /// The v1 defaults (all multi-point) expanded in upstream order, with upstream's weights.
    @Test func defaultProfileHasKubeSchedulerWeights() throws {
        let p = try Profile(ProfileConfiguration())
        #expect(p.scorers.map { "\($0.plugin.name)=\($0.weight)" } == [
            "TaintToleration=3", "NodeAffinity=2", "NodeResourcesFit=1", "PodTopologySpread=2", "InterPodAffinity=2",
            "NodeResourcesBalancedAllocation=1", "ImageLocality=1",
        ])
        #expect(p.filters.map(\.name) == ["NodeUnschedulable", "TaintToleration", "NodeAffinity", "NodeResourcesFit",
                                          "PodTopologySpread", "InterPodAffinity"])
    }

    @Test func profilesAreValidatedWhenBuilt() {
        let names = PluginRegistry.builtIn.names.joined(separator: ", ")
        #expect(error(ProfileConfiguration(plugins: [.score: PluginSet(enabled: [PluginRef(name: "Nope")])])) ==
            ProfileError(path: "plugins.score.enabled[0].name", message: "unknown plugin 'Nope'; accepted: \(names)"))
        #expect(error(ProfileConfiguration(plugins: [.score: PluginSet(enabled: [PluginRef(name: "ImageLocality", weight: -1)])])) ==
            ProfileError(path: "plugins.score.enabled[0].weight", message: "score weight must not be negative, got -1"))
        #expect(error(ProfileConfiguration(plugins: [.queueSort: PluginSet(disabled: [PluginRef(name: "*")])])) ==
            ProfileError(path: "plugins.queueSort", message: "exactly one queue sort plugin is required, found 0"))
        #expect(error(ProfileConfiguration(plugins: [.filter: PluginSet(enabled: [PluginRef(name: "ImageLocality")])]))?.message ==
            "plugin 'ImageLocality' does not implement Filter")
        #expect(error(ProfileConfiguration(pluginConfig: [("NodeResourcesFit", .map([("scoringStrategy", .map([("type", .scalar("Fastest"))]))]))])) ==
            ProfileError(path: "pluginConfig[0].args.scoringStrategy.type",
                         message: "unknown type 'Fastest'; accepted: LeastAllocated, MostAllocated, RequestedToCapacityRatio"))
    }
}
