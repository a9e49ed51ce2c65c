/// A plugin's stage protocols, answered without asking the runtime: the default is nil, and each stage
/// protocol's extension answers with the plugin itself. The compiler picks the most specific answer for
/// each plugin type when it builds the type's conformance, so a cast (`plugin as? FilterPlugin`, which
/// the runtime answers the first time by scanning every protocol conformance in the binary, about 5 µs
/// for each plugin type and protocol) is never needed to build a profile. The answer is fixed where a
/// type first conforms to `SchedulerPlugin`: a subclass that adds a stage protocol, or a conformance
/// added in another module, is not seen (`PluginRolesTests` checks every built-in plugin).
extension SchedulerPlugin {
    public var asQueueSort: QueueSortPlugin? { nil }
    public var asPreFilter: PreFilterPlugin? { nil }
    public var asFilter: FilterPlugin? { nil }
    public var asPostFilter: PostFilterPlugin? { nil }
    public var asPreScore: PreScorePlugin? { nil }
    public var asScore: ScorePlugin? { nil }
    public var asReserve: ReservePlugin? { nil }
    public var asPermit: PermitPlugin? { nil }
    public var asClusterEventPlugin: ClusterEventPlugin? { nil }
    public var asEnqueueExtensions: EnqueueExtensions? { nil }

    /// The plugin as the stage protocol of extension point `point`, or nil.
    func role(at point: ExtensionPoint) -> SchedulerPlugin? {
        switch point {
        case .queueSort: return asQueueSort
        case .preFilter: return asPreFilter
        case .filter: return asFilter
        case .postFilter: return asPostFilter
        case .preScore: return asPreScore
        case .score: return asScore
        case .reserve: return asReserve
        case .permit: return asPermit
        }
    }
}

extension QueueSortPlugin { public var asQueueSort: QueueSortPlugin? { self } }
extension PreFilterPlugin { public var asPreFilter: PreFilterPlugin? { self } }
extension FilterPlugin { public var asFilter: FilterPlugin? { self } }
extension PostFilterPlugin { public var asPostFilter: PostFilterPlugin? { self } }
extension PreScorePlugin { public var asPreScore: PreScorePlugin? { self } }
extension ScorePlugin { public var asScore: ScorePlugin? { self } }
extension ReservePlugin { public var asReserve: ReservePlugin? { self } }
extension PermitPlugin { public var asPermit: PermitPlugin? { self } }
extension ClusterEventPlugin { public var asClusterEventPlugin: ClusterEventPlugin? { self } }
extension EnqueueExtensions { public var asEnqueueExtensions: EnqueueExtensions? { self } }
