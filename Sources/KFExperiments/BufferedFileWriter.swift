import Foundation

/// Writes a large file in pieces: text gathers in a 1 MiB buffer that goes to the file descriptor when
/// full, so an output of a million rows never exists as one string in memory. Without a file it keeps
/// the whole text (for outputs returned as strings).
public final class BufferedFileWriter {
    private let fd: Int32?
    /// The text not yet written.
    var csv: CSVBytes
    /// False once a write failed; later writes are dropped.
    public private(set) var ok = true
    /// The errno of the failed write (0: none failed).
    public private(set) var failure: Int32 = 0
    private static let capacity = 1 << 20

    init(fd: Int32) {
        self.fd = fd
        csv = CSVBytes(capacity: Self.capacity + 4096)
    }

    /// A writer that keeps its text in memory (`text`).
    init() {
        fd = nil
        csv = CSVBytes()
    }

    /// The text kept by a writer without a file.
    var text: String { String(decoding: csv.bytes, as: UTF8.self) }

    /// Appends `text`.
    public func write(_ text: String) {
        guard ok else { return }
        csv.raw(text)
        if fd != nil && csv.count >= Self.capacity { flush() }
    }

    /// Appends one CSV line built field by field.
    public func line(_ build: (inout CSVBytes) -> Void) {
        guard ok else { return }
        build(&csv)
        csv.endLine()
        if fd != nil && csv.count >= Self.capacity { flush() }
    }

    /// Sends what is buffered to the file.
    func flush() {
        guard ok, let fd, csv.count > 0 else { return }
        ok = csv.bytes.withUnsafeBytes { AtomicFile.writeAll(fd, $0) }
        if !ok { failure = errno }
        csv.clear()
    }
}
