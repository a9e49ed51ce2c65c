import Foundation

/// State shared while one scenario file is read: where it is, so that paths inside it resolve. The
/// readers of common values (distributions, durations, pod templates) are its extensions; workload
/// kinds add their own.
public struct LoadContext: Sendable {
    /// The scenario file.
    public let file: String
    /// Its folder.
    public let directory: String

    /// A context for `file` in `directory`.
    public init(file: String, directory: String) {
        self.file = file
        self.directory = directory
    }

    /// Resolves a path written in the scenario against the scenario's folder.
    public func resolve(_ path: String) -> String {
        path.hasPrefix("/") || directory.isEmpty ? path : (directory as NSString).appendingPathComponent(path)
    }
}
