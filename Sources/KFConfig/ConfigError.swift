import Yams

/// A problem in a scenario, located by file, line, column and key path.
public struct ConfigError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The scenario file (or `--set` for a command-line override).
    public var file: String
    /// 1-based line (0 when unknown).
    public var line: Int
    /// 1-based column (0 when unknown).
    public var column: Int
    /// Key path, e.g. `spec.workloads[0].containers`.
    public var path: String
    /// What is wrong and what would be accepted.
    public var message: String

    /// An error. Quoted parts of the message and the key path (which may come from any file the
    /// scenario names) are cut to short printable excerpts: an error never echoes a file.
    public init(file: String, line: Int, column: Int, path: String, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.path = path.split(separator: ".", omittingEmptySubsequences: false).map { Excerpt.of(String($0), limit: 40) }.joined(separator: ".")
        self.message = Excerpt.sanitize(message)
    }

    /// A refusal of a whole file (located at 1:1 when nothing better is known).
    public init(_ problem: InputFile.Problem) {
        self.init(file: problem.file, line: problem.line, column: problem.column, path: "", message: problem.message)
    }

    /// `file:line:column: path: message`; a real file without a better place is located at 1:1,
    /// a `--set` value by its path.
    public var description: String {
        let location = line > 0 ? "\(file):\(line):\(column)" : (file.hasPrefix("--set") ? file : "\(file):1:1")
        return path.isEmpty ? "\(location): \(message)" : "\(location): \(path): \(message)"
    }
}

extension ConfigError {
    /// A YAML reader error, located in `file`.
    public static func yaml(_ e: YamlError, file: String) -> ConfigError {
        switch e {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return ConfigError(file: file, line: mark.line, column: mark.column, path: "", message: "invalid YAML: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return ConfigError(file: file, line: context.mark.line, column: context.mark.column, path: "",
                               message: "duplicate keys: \(duplicates.joined(separator: ", "))")
        default:
            return ConfigError(file: file, line: 0, column: 0, path: "", message: "invalid YAML: \(e)")
        }
    }
}
