import KFCluster

/// Args of NodeAffinity (`addedAffinity`) and PodTopologySpread (`defaultConstraints`,
/// `defaultingType`), read from `pluginConfig` as upstream writes them.
extension PluginArgs {
    /// `NodeAffinityArgs.addedAffinity` (nil when absent).
    func addedAffinity() throws(PluginArgsError) -> NodeAffinity? {
        try requireKeys(["addedAffinity"], at: "")
        guard let a = self["addedAffinity"] else { return nil }
        let base = "addedAffinity"
        try a.requireKeys(["requiredDuringSchedulingIgnoredDuringExecution", "preferredDuringSchedulingIgnoredDuringExecution"], at: base)
        var affinity = NodeAffinity()
        if let r = a["requiredDuringSchedulingIgnoredDuringExecution"] {
            let path = "\(base).requiredDuringSchedulingIgnoredDuringExecution"
            try r.requireKeys(["nodeSelectorTerms"], at: path)
            let terms = try (r["nodeSelectorTerms"] ?? .list([])).list(at: "\(path).nodeSelectorTerms")
            guard !terms.isEmpty else { throw PluginArgsError(path: "\(path).nodeSelectorTerms", message: "needs at least one term") }
            affinity.required = try terms.enumerated().map { (i, t) throws(PluginArgsError) in try t.nodeSelectorTerm(at: "\(path).nodeSelectorTerms[\(i)]") }
        }
        if let p = a["preferredDuringSchedulingIgnoredDuringExecution"] {
            let path = "\(base).preferredDuringSchedulingIgnoredDuringExecution"
            for (i, item) in try p.list(at: path).enumerated() {
                try item.requireKeys(["weight", "preference"], at: "\(path)[\(i)]")
                guard let w = item["weight"], let pref = item["preference"] else {
                    throw PluginArgsError(path: "\(path)[\(i)]", message: "each term needs weight and preference")
                }
                let weight = try w.int(at: "\(path)[\(i)].weight")
                guard (1...100).contains(weight) else { throw PluginArgsError(path: "\(path)[\(i)].weight", message: "must be in 1...100, got \(weight)") }
                affinity.preferred.append(PreferredSchedulingTerm(weight: weight, preference: try pref.nodeSelectorTerm(at: "\(path)[\(i)].preference")))
            }
        }
        return affinity
    }

    /// A `nodeSelectorTerm`: `{matchExpressions, matchFields}`.
    func nodeSelectorTerm(at path: String) throws(PluginArgsError) -> NodeSelectorTerm {
        try requireKeys(["matchExpressions", "matchFields"], at: path)
        func requirements(_ key: String, numeric: Bool) throws(PluginArgsError) -> [LabelRequirement] {
            guard let list = self[key] else { return [] }
            return try list.list(at: "\(path).\(key)").enumerated().map { (i, r) throws(PluginArgsError) in
                try r.requirement(at: "\(path).\(key)[\(i)]", numeric: numeric)
            }
        }
        return NodeSelectorTerm(matchExpressions: try requirements("matchExpressions", numeric: true),
                                matchFields: try requirements("matchFields", numeric: false))
    }

    /// `{key, operator, values}`.
    func requirement(at path: String, numeric: Bool) throws(PluginArgsError) -> LabelRequirement {
        try requireKeys(["key", "operator", "values"], at: path)
        guard let keyArg = self["key"], let opArg = self["operator"] else {
            throw PluginArgsError(path: path, message: "needs key and operator")
        }
        let ops = LabelRequirement.Operator.allCases.filter { numeric || ($0 != .gt && $0 != .lt) }.map(\.rawValue)
        let opText = try opArg.string(at: "\(path).operator")
        guard let op = LabelRequirement.Operator(rawValue: opText), ops.contains(opText) else {
            throw PluginArgsError(path: "\(path).operator", message: "unknown operator '\(opText)'; accepted: \(ops.joined(separator: ", "))")
        }
        let values = try (self["values"]?.list(at: "\(path).values") ?? []).enumerated().map { (i, v) throws(PluginArgsError) in
            try v.string(at: "\(path).values[\(i)]")
        }
        switch op {
        case .in, .notIn: if values.isEmpty { throw PluginArgsError(path: "\(path).values", message: "\(opText) needs at least one value") }
        case .exists, .doesNotExist: if !values.isEmpty { throw PluginArgsError(path: "\(path).values", message: "\(opText) takes no values") }
        case .gt, .lt:
            if values.count != 1 || Int64(values[0]) == nil {
                throw PluginArgsError(path: "\(path).values", message: "\(opText) needs exactly one integer value")
            }
        }
        return LabelRequirement(key: try keyArg.string(at: "\(path).key"), op: op, values: values)
    }

    /// `PodTopologySpreadArgs`, checked. Default constraints apply upstream only to pods selected by a
    /// Service, ReplicaSet, StatefulSet or ReplicationController (the selector comes from them); kfsim's
    /// workloads create none, so the defaults select no pod and change no decision: they are validated
    /// and kept for when such owners exist.
    func checkTopologySpreadArgs() throws(PluginArgsError) {
        try requireKeys(["defaultConstraints", "defaultingType"], at: "")
        if let t = self["defaultingType"] {
            let v = try t.string(at: "defaultingType")
            guard ["List", "System"].contains(v) else {
                throw PluginArgsError(path: "defaultingType", message: "unknown value '\(v)'; accepted: List, System")
            }
            if v == "System", let c = self["defaultConstraints"], !(try c.list(at: "defaultConstraints")).isEmpty {
                throw PluginArgsError(path: "defaultConstraints", message: "must be empty when defaultingType is System")
            }
        }
        for (i, c) in try (self["defaultConstraints"] ?? .list([])).list(at: "defaultConstraints").enumerated() {
            let path = "defaultConstraints[\(i)]"
            try c.requireKeys(["maxSkew", "topologyKey", "whenUnsatisfiable"], at: path)
            guard let skew = c["maxSkew"], let key = c["topologyKey"], let when = c["whenUnsatisfiable"] else {
                throw PluginArgsError(path: path, message: "needs maxSkew, topologyKey and whenUnsatisfiable")
            }
            guard try skew.int(at: "\(path).maxSkew") >= 1 else { throw PluginArgsError(path: "\(path).maxSkew", message: "must be at least 1") }
            _ = try key.string(at: "\(path).topologyKey")
            let w = try when.string(at: "\(path).whenUnsatisfiable")
            guard ["DoNotSchedule", "ScheduleAnyway"].contains(w) else {
                throw PluginArgsError(path: "\(path).whenUnsatisfiable", message: "unknown value '\(w)'; accepted: DoNotSchedule, ScheduleAnyway")
            }
        }
    }
}
