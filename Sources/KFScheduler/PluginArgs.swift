/// A plugin's `args` from `pluginConfig`, as a plain value tree (the scenario layer builds it from YAML).
public indirect enum PluginArgs: Equatable, Sendable {
    /// A scalar, as written.
    case scalar(String)
    /// A list.
    case list([PluginArgs])
    /// A mapping, in file order.
    case map([(String, PluginArgs)])

    public static func == (a: PluginArgs, b: PluginArgs) -> Bool {
        switch (a, b) {
        case (.scalar(let x), .scalar(let y)): return x == y
        case (.list(let x), .list(let y)): return x == y
        case (.map(let x), .map(let y)): return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    /// The empty mapping.
    public static let empty = PluginArgs.map([])

    /// The value under `key` of a mapping.
    public subscript(key: String) -> PluginArgs? {
        if case .map(let pairs) = self { return pairs.first { $0.0 == key }?.1 }
        return nil
    }

}

/// A problem in a plugin's args, located by a key path relative to `args`.
public struct PluginArgsError: Error, Equatable, Sendable {
    /// Path below `args`, e.g. `scoringStrategy.type`.
    public var path: String
    /// What is wrong and what would be accepted.
    public var message: String
    /// An error.
    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }
}

extension PluginArgs {
    /// Refuses keys other than `allowed` at this level.
    public func requireKeys(_ allowed: [String], at path: String) throws(PluginArgsError) {
        guard case .map(let pairs) = self else {
            throw PluginArgsError(path: path, message: "expected a mapping with keys \(allowed.joined(separator: ", "))")
        }
        for (key, _) in pairs where !allowed.contains(key) {
            throw PluginArgsError(path: path.isEmpty ? key : "\(path).\(key)",
                                  message: "unknown key '\(key)'; accepted: \(allowed.joined(separator: ", "))")
        }
    }

    /// This value as a string scalar.
    public func string(at path: String) throws(PluginArgsError) -> String {
        guard case .scalar(let s) = self else { throw PluginArgsError(path: path, message: "expected a scalar") }
        return s
    }

    /// This value as an integer.
    public func int(at path: String) throws(PluginArgsError) -> Int64 {
        guard case .scalar(let s) = self, let v = Int64(s) else {
            throw PluginArgsError(path: path, message: "expected an integer")
        }
        return v
    }

    /// This value as a list.
    public func list(at path: String) throws(PluginArgsError) -> [PluginArgs] {
        guard case .list(let items) = self else { throw PluginArgsError(path: path, message: "expected a list") }
        return items
    }
}
