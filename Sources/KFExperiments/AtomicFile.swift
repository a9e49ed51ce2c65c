import Foundation

/// Writes files so that a reader never sees a partial one: the bytes go to a new temporary file in the
/// same folder (created exclusively, with an unpredictable name, never through a symlink), which is
/// flushed and then renamed over the target. An interrupted run removes its temporary files.
public enum AtomicFile {
    /// A failed write.
    public struct WriteError: Error, CustomStringConvertible {
        /// The target path.
        public var path: String
        /// The system's reason.
        public var reason: String
        public var description: String { "cannot write \(path): \(reason)" }
    }

    /// Creates `directory` and its parents when missing.
    public static func makeDirectory(_ directory: String) throws(WriteError) {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw WriteError(path: directory, reason: "\(error.localizedDescription)")
        }
    }

    /// Writes `text` to `path` atomically.
    public static func write(_ text: String, to path: String) throws(WriteError) {
        let directory = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        var temp = ""
        var fd: Int32 = -1
        for _ in 0..<16 {
            temp = (directory.isEmpty ? "." : directory) + "/.\(name).tmp-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
            fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
            if fd >= 0 || errno != EEXIST { break }
        }
        guard fd >= 0 else { throw WriteError(path: path, reason: String(cString: strerror(errno))) }
        CleanupOnSignal.register(temp)
        defer { CleanupOnSignal.unregister(temp) }
        var ok = writeAll(fd, text)
        if ok && fsync(fd) != 0 { ok = false }
        let reason = String(cString: strerror(errno))
        close(fd)
        guard ok, rename(temp, path) == 0 else {
            unlink(temp)
            throw WriteError(path: path, reason: reason)
        }
    }

    /// Writes every byte of `text` to `fd` (from the string's own storage: no copy); false on an error
    /// (errno says which).
    static func writeAll(_ fd: Int32, _ text: String) -> Bool {
        var text = text
        return text.withUTF8 { writeAll(fd, UnsafeRawBufferPointer($0)) }
    }

    /// Writes every byte of `buffer` to `fd`; false on an error.
    static func writeAll(_ fd: Int32, _ buffer: UnsafeRawBufferPointer) -> Bool {
        guard let base = buffer.baseAddress else { return true }
        var offset = 0
        while offset < buffer.count {
            let n = Foundation.write(fd, base + offset, buffer.count - offset)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return false }
            offset += n
        }
        return true
    }
}

/// Temporary files and staging folders to remove if the process is interrupted (SIGINT, SIGTERM,
/// SIGHUP): a killed run leaves no `.tmp` file behind. (SIGKILL cannot be caught: a later run removes
/// staging folders whose process is gone.)
public enum CleanupOnSignal {
    private static let lock = NSLock()
    /// The paths to remove, each with the folder to remove after it if that is then empty (a staging
    /// folder's container).
    nonisolated(unsafe) private static var paths: [String: String?] = [:]
    nonisolated(unsafe) private static var installed = false

    /// Installs the handling (once, at start-up, before any other thread exists): the signals are
    /// blocked in every thread and a dedicated thread waits for them (`sigwait`), removes the registered
    /// paths, then lets the signal take its default course.
    public static func install() {
        lock.withLock {
            guard !installed else { return }
            installed = true
            var set = sigset_t()
            sigemptyset(&set)
            for sig in [SIGINT, SIGTERM, SIGHUP] { sigaddset(&set, sig) }
            pthread_sigmask(SIG_BLOCK, &set, nil)
            let blocked = set
            let waiter = Thread {
                var received: Int32 = 0
                var waitSet = blocked
                guard sigwait(&waitSet, &received) == 0 else { return }
                removeAll()
                signal(received, SIG_DFL)
                var one = sigset_t()
                sigemptyset(&one)
                sigaddset(&one, received)
                pthread_sigmask(SIG_UNBLOCK, &one, nil)
                raise(received)
            }
            waiter.start()
        }
    }

    /// Registers `path`; `container`, when given, is removed after it if it is then empty.
    static func register(_ path: String, then container: String? = nil) {
        lock.withLock { paths[path] = .some(container) }
    }

    static func unregister(_ path: String) {
        _ = lock.withLock { paths.removeValue(forKey: path) }
    }

    /// Removes every registered path (files and folders), then their containers that are left empty.
    static func removeAll() {
        let all = lock.withLock { paths }
        for p in all.keys { try? FileManager.default.removeItem(atPath: p) }
        for folder in Set(all.values.compactMap { $0 }) { rmdir(folder) }
    }
}
