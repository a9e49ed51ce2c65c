import Testing
@testable import KFScheduler

@Suite struct PluginRolesTests {
    /// Each built-in plugin's stage answers (`asFilter`, ...) agree with the runtime's casts, including
    /// conformances declared in extensions in other files (NodeResourcesFit's EnqueueExtensions).
    @Test func rolesAgreeWithCasts() throws {
        let registry = PluginRegistry.builtIn
        var seen = 0
        for name in registry.names where !registry.isInert(name) {
            let p = try #require(try? registry.factory(name)!(.empty))
            #expect((p.asQueueSort != nil) == (p is QueueSortPlugin), "\(name) QueueSort")
            #expect((p.asPreFilter != nil) == (p is PreFilterPlugin), "\(name) PreFilter")
            #expect((p.asFilter != nil) == (p is FilterPlugin), "\(name) Filter")
            #expect((p.asPostFilter != nil) == (p is PostFilterPlugin), "\(name) PostFilter")
            #expect((p.asPreScore != nil) == (p is PreScorePlugin), "\(name) PreScore")
            #expect((p.asScore != nil) == (p is ScorePlugin), "\(name) Score")
            #expect((p.asReserve != nil) == (p is ReservePlugin), "\(name) Reserve")
            #expect((p.asPermit != nil) == (p is PermitPlugin), "\(name) Permit")
            #expect((p.asClusterEventPlugin != nil) == (p is ClusterEventPlugin), "\(name) ClusterEvent")
            #expect((p.asEnqueueExtensions != nil) == (p is EnqueueExtensions), "\(name) EnqueueExtensions")
            #expect(p.asFilter.map { $0 === p } ?? true)
            seen += 1
        }
        #expect(seen >= 15)
        // The answers are not all nil: the stage protocols' extensions are picked.
        let fit = try #require(try? registry.factory("NodeResourcesFit")!(.empty))
        #expect(fit.asFilter != nil && fit.asScore != nil && fit.asEnqueueExtensions != nil && fit.asPermit == nil)
    }
}
