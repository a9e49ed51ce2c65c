import Foundation

/// Input files parsed once per process and shared, read-only, by every run that reads them (the runs of
/// a sweep parse a trace once, not once per run). Entries are keyed by what was read, the file's path,
/// size and modification time, so a file changed on disk is read again.
public final class InputCache: @unchecked Sendable {
    /// The process's cache.
    public static let shared = InputCache()
    private let lock = NSLock()
    private var entries: [String: Any] = [:]
    private var parsed: [String: Int] = [:]

    init() {}

    /// The value `parse` gives for `file` read as `kind`, parsed on first use (under a lock: concurrent
    /// runs wait for the one parse). A file whose attributes cannot be read is parsed every time.
    public func value<T, E: Error>(_ kind: String, file: String, _ parse: () throws(E) -> T) throws(E) -> T {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: file),
              let size = attributes[.size] as? NSNumber, let modified = attributes[.modificationDate] as? Date else {
            return try parse()
        }
        let key = "\(kind)|\(file)|\(size.int64Value)|\(modified.timeIntervalSince1970)"
        lock.lock()
        defer { lock.unlock() }
        if let hit = entries[key] as? T { return hit }
        let value = try parse()
        entries[key] = value
        parsed[file, default: 0] += 1
        return value
    }

    /// How many times `file` was parsed in this process (any kind).
    public func parses(of file: String) -> Int {
        lock.lock()
        defer { lock.unlock() }
        return parsed[file] ?? 0
    }
}
