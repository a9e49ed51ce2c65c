/// A map from dense ids (pods, jobs: indices counted from 0) to small indices, kept in an array indexed
/// by id: a lookup is one load, with no hashing. Made for the hot paths of controllers that follow
/// every pod they create.
public struct DenseIDMap {
    private var values: [Int32] = []
    private static let absent: Int32 = -1

    /// An empty map.
    public init() {}

    /// The value of `id` (nil: none). Values must be non-negative.
    public subscript(id: Int32) -> Int32? {
        get {
            let i = Int(id)
            guard i >= 0, i < values.count, values[i] != Self.absent else { return nil }
            return values[i]
        }
        set {
            let i = Int(id)
            precondition(i >= 0 && (newValue ?? 0) >= 0, "ids and values of a DenseIDMap are non-negative")
            if i >= values.count {
                guard newValue != nil else { return }
                values.append(contentsOf: repeatElement(Self.absent, count: i - values.count + 1))
            }
            values[i] = newValue ?? Self.absent
        }
    }

    /// Removes and returns the value of `id`.
    public mutating func removeValue(forKey id: Int32) -> Int32? {
        guard let v = self[id] else { return nil }
        values[Int(id)] = Self.absent
        return v
    }
}
