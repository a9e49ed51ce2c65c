import KFControlPlane
import KFConfig
/// A problem in an input file, located by file, line and column.
public struct InputError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file.
    public var file: String
    /// 1-based line (0: the whole file).
    public var line: Int
    /// 1-based column (0: the whole line).
    public var column: Int
    /// What is wrong and what would be accepted.
    public var message: String
    /// True when the problem is the file as a whole (missing, unreadable, too large), not a place in it.
    public var wholeFile = false

    /// An error.
    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String { "\(file):\(max(line, 1)):\(max(column, 1)): \(Excerpt.sanitize(message))" }

    /// This problem as a scenario error: located in the input file first, then the scenario key that
    /// names the file.
    public func located(under node: ConfigNode) -> ConfigError {
        // A file that cannot be used at all is the scenario key's problem: locate it there.
        if wholeFile { return node.error("\(file): \(message)") }
        return ConfigError(file: file, line: max(line, 1), column: max(column, 1), path: node.path, message: message)
    }

    /// A problem reading `file`.
    public init(_ p: InputFile.Problem) {
        self.init(file: p.file, line: p.line, column: p.column, message: p.message)
        wholeFile = p.wholeFile
    }

    /// A short printable excerpt of input text, for messages.
    public static func excerpt(_ text: String) -> String { Excerpt.of(text) }
}
