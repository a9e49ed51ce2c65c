/// What plugins compute for the pod of one scheduling cycle (kube-scheduler's `CycleState`):
/// PreFilter and PreScore write it, Filter and Score read it in the same cycle. Emptied when a cycle
/// starts, so nothing leaks from one pod's cycle into the next. Entries are keyed by their type.
public final class CycleState {
    private var keys: [ObjectIdentifier] = []
    private var values: [AnyObject] = []

    /// An empty state.
    public init() {}

    /// Stores `value` (replacing the entry of its type).
    public func write<T: AnyObject>(_ value: T) {
        let key = ObjectIdentifier(T.self)
        if let i = keys.firstIndex(of: key) { values[i] = value } else {
            keys.append(key)
            values.append(value)
        }
    }

    /// The entry of type `T`, if this cycle wrote one.
    @inline(__always)
    public func read<T: AnyObject>(_ type: T.Type) -> T? {
        let key = ObjectIdentifier(T.self)
        for i in keys.indices where keys[i] == key { return unsafeDowncast(values[i], to: T.self) }
        return nil
    }

    /// Empties the state (a new cycle starts).
    func clear() {
        keys.removeAll(keepingCapacity: true)
        values.removeAll(keepingCapacity: true)
    }
}
