import Foundation

/// Writes a large file in pieces: text gathers in a 1 MiB buffer that goes to the file descriptor when
/// full, so an output of a million rows never exists as one string in memory.
public final class BufferedFileWriter {
    private let fd: Int32
    private var buffer: [UInt8] = []
    /// False once a write failed; later writes are dropped.
    public private(set) var ok = true
    /// The errno of the failed write (0: none failed).
    public private(set) var failure: Int32 = 0
    private static let capacity = 1 << 20

    init(fd: Int32) {
        self.fd = fd
        buffer.reserveCapacity(Self.capacity)
    }

    /// Appends `text`.
    public func write(_ text: String) {
        guard ok else { return }
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= Self.capacity { flush() }
    }

    /// Sends what is buffered to the file.
    func flush() {
        guard ok, !buffer.isEmpty else { return }
        ok = buffer.withUnsafeBytes { AtomicFile.writeAll(fd, $0) }
        if !ok { failure = errno }
        buffer.removeAll(keepingCapacity: true)
    }
}
