import KFConfig

extension LoadContext {
    /// Refuses what cannot run: a missing entry or template, a dependency on an unknown task, a cycle
    /// among a DAG's tasks, a template that (indirectly) contains itself. Located at `node` (the
    /// file's entry point) with the task's key path.
    func checkPipeline(_ p: PipelineSpec, at node: ConfigNode) throws(ConfigError) {
        guard let entry = p.templates[p.entry] else {
            throw node.error("entry template '\(p.entry)' is not defined; defined: \(p.templates.keys.sorted().joined(separator: ", "))")
        }
        guard case .dag = entry.body else { return }
        for template in p.templates.values.sorted(by: { $0.name < $1.name }) {
            guard case .dag(let tasks) = template.body else { continue }
            var names = Set<String>()
            for t in tasks {
                guard names.insert(t.name).inserted else { throw at(t, node, "task '\(t.name)' is defined twice in '\(template.name)'") }
                guard p.templates[t.template] != nil else {
                    throw at(t, node, "task '\(t.name)' runs template '\(t.template)', which is not defined")
                }
            }
            for t in tasks {
                for d in t.dependencies where !names.contains(d) {
                    throw at(t, node, "task '\(t.name)' depends on '\(d)', which is not a task of '\(template.name)'")
                }
            }
            if let cycle = firstCycle(tasks) {
                throw node.error("tasks of '\(template.name)' depend on each other in a cycle: \(cycle.joined(separator: " -> "))")
            }
        }
        // No template may contain itself.
        var visiting = Set<String>(), done = Set<String>()
        func visit(_ name: String) throws(ConfigError) {
            if done.contains(name) { return }
            guard visiting.insert(name).inserted else { throw node.error("template '\(name)' contains itself (recursion is not simulated)") }
            if case .dag(let tasks)? = p.templates[name]?.body { for t in tasks { try visit(t.template) } }
            visiting.remove(name)
            done.insert(name)
        }
        try visit(p.entry)
    }

    /// An error located at task `t` (its line and column in the file `node` came from).
    func at(_ t: PipelineTask, _ node: ConfigNode, _ message: String) -> ConfigError {
        guard t.line > 0 else { return node.error("\(t.location): \(message)") }
        return ConfigError(file: node.file, line: t.line, column: t.column, path: t.location, message: message)
    }

    /// A cycle among `tasks` (names, first repeated at the end), if any.
    func firstCycle(_ tasks: [PipelineTask]) -> [String]? {
        let deps = Dictionary(tasks.map { ($0.name, $0.dependencies) }, uniquingKeysWith: { a, _ in a })
        var state: [String: Int] = [:]   // 1 visiting, 2 done
        var stack: [String] = []
        func dfs(_ n: String) -> [String]? {
            state[n] = 1
            stack.append(n)
            for d in deps[n] ?? [] {
                if state[d] == 1 { return Array(stack[stack.firstIndex(of: d)!...]) + [d] }
                if state[d] == nil, let c = dfs(d) { return c }
            }
            stack.removeLast()
            state[n] = 2
            return nil
        }
        for t in tasks where state[t.name] == nil { if let c = dfs(t.name) { return c } }
        return nil
    }
}
