import KFConfig
extension LoadContext {
    /// The `sweep:` section: `{parameters: [{key, values | range: {start, stop, step}}], seeds, baseline: {key, value}}`.
    func sweepDefinition(_ node: ConfigNode) throws(ConfigError) -> SweepDefinition {
        let m = try node.mapping(["parameters", "seeds", "baseline"])
        var def = SweepDefinition()
        for item in try m["parameters"]?.list() ?? [] {
            let p = try item.mapping(["key", "values", "range"])
            let key = try p.required("key").name()
            guard !def.parameters.contains(where: { $0.key == key }) else { throw item.error("parameter '\(key)' is swept twice") }
            var values: [String]
            if let v = p["values"] {
                guard p["range"] == nil else { throw v.error("give values or range, not both") }
                values = try v.list().map { (x: ConfigNode) throws(ConfigError) in try x.string() }
                guard !values.isEmpty else { throw v.error("needs at least one value") }
            } else {
                let rangeNode = try p.required("range")
                let r = try rangeNode.mapping(["start", "stop", "step"])
                let text = "\(try r.required("start").double()):\(try r.required("stop").double()):\(try r["step"]?.double() ?? 1)"
                switch SweepDefinition.values(text) {
                case .success(let v): values = v
                case .failure(let e): throw rangeNode.error(e.message)
                }
            }
            def.parameters.append(.init(key: key, values: values))
        }
        if let s = m["seeds"] {
            // A list names its seeds; a scalar is a count (1..N), a range or a comma list.
            let result: Result<[UInt64], SweepTextError>
            if case .sequence = s.node {
                let text = try s.list().map { (x: ConfigNode) throws(ConfigError) in try x.string() }.joined(separator: ",")
                result = SweepDefinition.seedList(text)
            } else {
                result = SweepDefinition.seeds(try s.string())
            }
            switch result {
            case .success(let seeds): def.seeds = seeds
            case .failure(let e): throw s.error(e.message)
            }
        }
        if let b = m["baseline"] {
            let bm = try b.mapping(["key", "value"])
            def.baseline = (try bm.required("key").name(), try bm.required("value").string())
        }
        return def
    }
}
