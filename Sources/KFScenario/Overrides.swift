import KFConfig
import Yams

/// `--set key.path=value` overrides, applied to the YAML tree before validation.
///
/// A key containing dots is matched when it exists (`resourceQuota.hard.requests.cpu`), or written with
/// escaped dots (`requests\\.cpu`) to create it.
/// Paths name mapping keys separated by dots; list items by index (`workloads[0]` or `workloads.0`)
/// or by the value of their `name` key (`workloads.fanout`); `+` appends an item (`workloads[+]={name:
/// extra, kind: Pod, ...}`). A value written as a YAML flow mapping or list (`{...}`, `[...]`) is that
/// structure; any other value is a scalar. A path not starting with `apiVersion`, `kind`, `metadata` or
/// `spec` is taken relative to `spec`. Missing mapping keys (and lists appended to) are created.
public enum Overrides {
    /// One override.
    public struct Assignment: Equatable, Sendable {
        /// The key path as given.
        public var path: String
        /// The value (parsed as a YAML scalar).
        public var value: String
    }

    /// Parses `key.path=value`.
    public static func parse(_ text: String) throws(ConfigError) -> Assignment {
        guard let eq = text.firstIndex(of: "="), eq != text.startIndex else {
            throw ConfigError(file: "--set", line: 0, column: 0, path: "", message: "'\(text)' is not key.path=value")
        }
        return Assignment(path: String(text[..<eq]), value: String(text[text.index(after: eq)...]))
    }

    static func components(_ path: String) -> [String] {
        // Split on dots not escaped by a backslash (`hard.requests\.cpu`).
        var parts: [String] = []
        var current = ""
        var escaped = false
        for ch in path {
            if escaped { current.append(ch); escaped = false; continue }
            if ch == "\\" { escaped = true; continue }
            if ch == "." { parts.append(current); current = ""; continue }
            current.append(ch)
        }
        parts.append(current)
        var out: [String] = []
        for part in parts {
            var p = Substring(part)
            // `name[3]` → `name`, `3`
            if let open = p.firstIndex(of: "["), p.hasSuffix("]") {
                out.append(String(p[..<open]))
                p = p[p.index(after: open)..<p.index(before: p.endIndex)]
            }
            out.append(String(p))
        }
        return out.filter { !$0.isEmpty }
    }

    /// Applies `assignment` to `root`.
    public static func apply(_ assignment: Assignment, to root: inout Yams.Node) throws(ConfigError) {
        var parts = components(assignment.path)
        guard !parts.isEmpty else {
            throw ConfigError(file: "--set", line: 0, column: 0, path: "", message: "empty key path in '\(assignment.path)=\(assignment.value)'")
        }
        if !["apiVersion", "kind", "metadata", "spec"].contains(parts[0]) { parts.insert("spec", at: 0) }
        let full = parts.joined(separator: ".")
        var value = Yams.Node.scalar(.init(assignment.value))
        if let first = assignment.value.first, first == "{" || first == "[" {
            do {
                guard let parsed = try Yams.compose(yaml: assignment.value, ConfigNode.yamlResolver) else { throw ConfigError(file: "--set \(full)", line: 0, column: 0, path: "", message: "empty value") }
                value = parsed
            } catch let e as ConfigError {
                throw e
            } catch {
                throw ConfigError(file: "--set \(full)", line: 0, column: 0, path: "", message: "'\(assignment.value)' is not a YAML flow value: \(error)")
            }
        }
        try set(&root, parts[...], value, full: full)
    }

    static func set(_ node: inout Yams.Node, _ parts: ArraySlice<String>, _ value: Yams.Node, full: String) throws(ConfigError) {
        guard let key = parts.first else { node = value; return }
        let rest = parts.dropFirst()
        func fail(_ message: String) -> ConfigError {
            ConfigError(file: "--set \(full)", line: 0, column: 0, path: "", message: message)
        }
        switch node {
        case .mapping(let m) where key == "+" && m.isEmpty:
            // A list created by appending to it.
            var s: [Yams.Node] = []
            try append(&s, rest, value, full: full)
            node = .sequence(.init(s))
        case .sequence(var s) where key == "+":
            var items = Array(s)
            try append(&items, rest, value, full: full)
            s = .init(items)
            node = .sequence(s)
        case .mapping(var m):
            // A key that itself contains dots (`requests.cpu`) matches when it exists: prefer the longest.
            var key = key, rest = rest
            for length in stride(from: parts.count, to: 1, by: -1) {
                let joined = parts.prefix(length).joined(separator: ".")
                if m[joined] != nil {
                    key = joined
                    rest = parts.dropFirst(length)
                    break
                }
            }
            var child = m[key] ?? .mapping(.init([]))
            try set(&child, rest, value, full: full)
            m[key] = child
            node = .mapping(m)
        case .sequence(var s):
            var index: Int?
            if let i = Int(key) {
                guard i >= 0 && i < s.count else { throw fail("index \(i) is out of range; the list has \(s.count) items") }
                index = i
            } else {
                index = s.firstIndex { $0["name"]?.string == key }
                if index == nil { throw fail("no list item named '\(key)'") }
            }
            var child = s[index!]
            try set(&child, rest, value, full: full)
            s[index!] = child
            node = .sequence(s)
        case .scalar:
            // An empty or scalar value is replaced by a mapping holding the rest of the path.
            var child = Yams.Node.mapping(.init([]))
            try set(&child, parts, value, full: full)
            node = child
        case .alias:
            throw fail("cannot override through a YAML alias")
        }
    }

    /// Appends a new item (the value, or a mapping holding the rest of the path) to `items`.
    static func append(_ items: inout [Yams.Node], _ rest: ArraySlice<String>, _ value: Yams.Node, full: String) throws(ConfigError) {
        var child = rest.isEmpty ? value : Yams.Node.mapping(.init([]))
        if !rest.isEmpty { try set(&child, rest, value, full: full) }
        items.append(child)
    }
}
