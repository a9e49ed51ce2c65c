import KFControlPlane
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

    /// An error.
    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String { "\(file):\(line):\(column): \(message)" }
}
