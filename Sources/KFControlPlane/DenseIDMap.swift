/// A map from dense ids (pods, jobs: indices counted from 0, handed out in increasing order) to small
/// non-negative values, kept in an array indexed by id: a lookup is one load, with no hashing. Made for
/// the hot paths of controllers that follow every pod they create.
///
/// The array spans the ids from the oldest entry still held to the newest: entries at its front that
/// are gone are dropped once they are most of it, so a controller that holds few pods at a time holds a
/// short array, however many pods the run creates.
public struct DenseIDMap {
    private var values: [Int32] = []
    /// The id of `values[0]`.
    private var base = 0
    /// Entries at the front known to be absent.
    private var head = 0
    private var live = 0
    private static let absent: Int32 = -1

    /// An empty map.
    public init() {}

    /// Slots the array holds (for tests: the span of ids held, plus a dropped-front margin).
    var storedCount: Int { values.count }

    /// The value of `id` (nil: none). Values must be non-negative.
    public subscript(id: Int32) -> Int32? {
        get {
            let i = Int(id) - base
            guard i >= 0, i < values.count, values[i] != Self.absent else { return nil }
            return values[i]
        }
        set {
            precondition(id >= 0 && (newValue ?? 0) >= 0, "ids and values of a DenseIDMap are non-negative")
            guard let newValue else {
                _ = removeValue(forKey: id)
                return
            }
            if values.isEmpty { base = Int(id) }
            if Int(id) < base {
                // An id older than the oldest held (rare: ids come in increasing order): widen the front.
                values.insert(contentsOf: repeatElement(Self.absent, count: base - Int(id)), at: 0)
                base = Int(id)
                head = 0
            }
            let i = Int(id) - base
            if i >= values.count { values.append(contentsOf: repeatElement(Self.absent, count: i - values.count + 1)) }
            if values[i] == Self.absent { live += 1 }
            values[i] = newValue
        }
    }

    /// Removes and returns the value of `id`.
    public mutating func removeValue(forKey id: Int32) -> Int32? {
        guard let v = self[id] else { return nil }
        values[Int(id) - base] = Self.absent
        live -= 1
        if live == 0 {
            values.removeAll(keepingCapacity: true)
            head = 0
            return v
        }
        while head < values.count && values[head] == Self.absent { head += 1 }
        if head >= 1024 && head * 2 >= values.count {
            values.removeFirst(head)
            base += head
            head = 0
        }
        return v
    }
}
