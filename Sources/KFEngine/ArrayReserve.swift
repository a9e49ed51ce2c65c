extension Array {
    /// Makes room for `n` more elements at once, keeping the doubling growth when asked again and again:
    /// a table whose size is known ahead (a trace's pods) is allocated and filled once, not copied and
    /// paged in at every doubling.
    @inlinable
    public mutating func reserve(more n: Int) {
        guard n > 0, capacity < count + n else { return }
        reserveCapacity(Swift.max(count + n, 2 * capacity))
    }
}
