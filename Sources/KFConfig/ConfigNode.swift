import KFCluster
import KFEngine
import Yams

/// A YAML node with the key path that reached it and the file it came from: typed accessors that
/// throw located `ConfigError`s.
public struct ConfigNode {
    /// How scenario YAML is composed: without Yams' implicit typing (a regular expression per scalar,
    /// whose first use alone costs a millisecond). Scalars are read as text here, and YAML's null forms
    /// (`~`, `null`, `Null`, `NULL`, empty) are recognised by `plainNulls`, as the core schema does.
    public static let yamlResolver = Resolver.basic
    /// The plain scalars that are null (YAML 1.2 core schema; Yams' default `null` rule).
    static let plainNulls: Set<String> = ["~", "null", "Null", "NULL", ""]

    /// The YAML node.
    public let node: Yams.Node
    /// Key path from the document root.
    public let path: String
    /// The file name used in errors.
    public let file: String

    /// A node.
    public init(node: Yams.Node, path: String, file: String) {
        self.node = node
        self.path = path
        self.file = file
    }

    /// An error located at this node.
    public func error(_ message: String) -> ConfigError {
        if let mark = node.mark {
            return ConfigError(file: file, line: mark.line, column: mark.column, path: path, message: message)
        }
        return ConfigError(file: "--set \(path)", line: 0, column: 0, path: "", message: message)
    }

    var kindName: String {
        switch node {
        case .scalar: return "a scalar"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    // MARK: - Structure

    /// This node as a mapping whose keys must be among `allowed`.
    public func mapping(_ allowed: [String]) throws(ConfigError) -> ConfigMap {
        guard case .mapping(let m) = node else {
            throw error("expected a mapping with keys \(allowed.joined(separator: ", ")), got \(kindName)")
        }
        var pairs: [(String, ConfigNode)] = []
        for (k, v) in m {
            guard case .scalar(let ks) = k else { throw error("mapping keys must be scalars") }
            let key = ks.string
            let child = ConfigNode(node: v, path: path.isEmpty ? key : "\(path).\(key)", file: file)
            guard allowed.contains(key) else {
                let keyNode = ConfigNode(node: k, path: child.path, file: file)
                throw keyNode.error("unknown key '\(key)'; accepted: \(allowed.joined(separator: ", "))")
            }
            pairs.append((key, child))
        }
        return ConfigMap(owner: self, pairs: pairs)
    }

    /// This node as a mapping with any string keys (labels, quota `hard`), in file order.
    public func freeMapping() throws(ConfigError) -> [(String, ConfigNode)] {
        if case .scalar(let s) = node, s.string.isEmpty || s.string == "null" || s.string == "~" { return [] }
        guard case .mapping(let m) = node else { throw error("expected a mapping, got \(kindName)") }
        var out: [(String, ConfigNode)] = []
        for (k, v) in m {
            guard case .scalar(let ks) = k else { throw error("mapping keys must be scalars") }
            out.append((ks.string, ConfigNode(node: v, path: path.isEmpty ? ks.string : "\(path).\(ks.string)", file: file)))
        }
        return out
    }

    /// This node as a list.
    public func list() throws(ConfigError) -> [ConfigNode] {
        if case .scalar(let s) = node, s.string.isEmpty || s.string == "null" || s.string == "~" || s.string == "[]" { return [] }
        guard case .sequence(let seq) = node else { throw error("expected a list, got \(kindName)") }
        return seq.enumerated().map { ConfigNode(node: $0.element, path: "\(path)[\($0.offset)]", file: file) }
    }

    // MARK: - Scalars

    /// The scalar text.
    public func string() throws(ConfigError) -> String {
        guard case .scalar(let s) = node else { throw error("expected a scalar, got \(kindName)") }
        return s.string
    }

    /// A non-empty string.
    public func name() throws(ConfigError) -> String {
        let s = try string()
        guard !s.isEmpty else { throw error("must not be empty") }
        return s
    }

    /// An integer within `range`.
    public func int(_ range: ClosedRange<Int64> = Int64.min...Int64.max) throws(ConfigError) -> Int64 {
        let s = try string()
        guard let v = Int64(s) else { throw error("expected an integer, got '\(s)'") }
        guard range.contains(v) else { throw error("must be in \(describe(range)), got \(v)") }
        return v
    }

    /// A finite number within `range`.
    public func double(_ range: ClosedRange<Double> = -Double.greatestFiniteMagnitude...Double.greatestFiniteMagnitude) throws(ConfigError) -> Double {
        let s = try string()
        guard let v = Double(s), v.isFinite else { throw error("expected a number, got '\(s)'") }
        guard range.contains(v) else { throw error("must be in \(describe(range)), got \(s)") }
        return v
    }

    /// A boolean (`true`/`false`).
    public func bool() throws(ConfigError) -> Bool {
        let s = try string()
        switch s {
        case "true", "True", "TRUE": return true
        case "false", "False", "FALSE": return false
        default: throw error("expected true or false, got '\(s)'")
        }
    }

    /// Seconds from a number or duration text, at least `minimum` and at most `InputBounds.seconds`.
    public func seconds(minimum: Double = 0) throws(ConfigError) -> Double {
        let s = try string()
        guard let v = DurationText.seconds(s), v.isFinite else {
            throw error("'\(s)' is not a duration; expected \(DurationText.acceptedForms)")
        }
        guard v >= minimum else { throw error("must be at least \(minimum) s, got \(s)") }
        guard v <= InputBounds.seconds else { throw error("must be at most 1e9 s (31.7 years), got \(s)") }
        return v
    }

    /// One of `values`.
    public func oneOf(_ values: [String]) throws(ConfigError) -> String {
        let s = try string()
        guard values.contains(s) else { throw error("unknown value '\(s)'; accepted: \(values.joined(separator: ", "))") }
        return s
    }

    /// A CPU quantity in millicores (non-negative, at most `InputBounds.cpuMilli`).
    public func cpuMilli() throws(ConfigError) -> Int64 {
        let s = try string()
        let v: Int64
        do { v = try Quantity.milli(s) } catch { throw self.error(error.description) }
        guard v >= 0 else { throw error("must not be negative, got '\(s)'") }
        guard v <= InputBounds.cpuMilli else { throw error("must be at most 1000000 cores (1e9m), got '\(s)'") }
        return v
    }

    /// A quantity as a whole number (bytes, counts; non-negative, at most `maximum`).
    public func quantityValue(maximum: Int64 = InputBounds.bytes) throws(ConfigError) -> Int64 {
        let s = try string()
        let v: Int64
        do { v = try Quantity.value(s) } catch { throw self.error(error.description) }
        guard v >= 0 else { throw self.error("must not be negative, got '\(s)'") }
        guard v <= maximum else { throw self.error("must be at most \(maximum), got '\(s)'") }
        return v
    }

    /// A quantity as a floating-point number (bandwidths), positive and at most `maximum`.
    public func quantityDouble(maximum: Double = InputBounds.bandwidth) throws(ConfigError) -> Double {
        let s = try string()
        let v: Double
        do { v = try Quantity.double(s) } catch { throw self.error(error.description) }
        guard v.isFinite, v > 0 else { throw self.error("must be positive, got '\(s)'") }
        guard v <= maximum else { throw self.error("must be at most \(maximum), got '\(s)'") }
        return v
    }

    private func describe<T: Comparable & CustomStringConvertible>(_ r: ClosedRange<T>) -> String {
        "\(r.lowerBound)...\(r.upperBound)"
    }
}

/// A mapping read from a `ConfigNode`, with its keys already checked.
public struct ConfigMap {
    /// The mapping node.
    public let owner: ConfigNode
    let pairs: [(String, ConfigNode)]

    /// The value under `key`, if present (a YAML null counts as absent).
    public subscript(key: String) -> ConfigNode? {
        guard let v = pairs.first(where: { $0.0 == key })?.1 else { return nil }
        if case .scalar(let s) = v.node, s.tag.description == "tag:yaml.org,2002:null" || (s.style == .plain && ConfigNode.plainNulls.contains(s.string)) {
            return nil
        }
        return v
    }

    /// The value under `key`, which must be present.
    public func required(_ key: String) throws(ConfigError) -> ConfigNode {
        guard let v = self[key] else { throw owner.error("missing required key '\(key)'") }
        return v
    }

    /// Whether `key` is present.
    public func has(_ key: String) -> Bool { self[key] != nil }
}
