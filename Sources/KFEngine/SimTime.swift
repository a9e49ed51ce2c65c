/// Simulated time in integer microseconds since the start of a run.
///
/// Durations computed in floating point are rounded once, here, when they become a `SimTime`.
public typealias SimTime = Int64

/// Conversions between seconds and `SimTime`.
public enum Clock {
    /// Microseconds in one second.
    public static let microsPerSecond: Int64 = 1_000_000

    /// Rounds a duration in seconds to the nearest microsecond (half away from zero).
    ///
    /// Values beyond the representable range saturate, so a huge duration means "never".
    @inlinable
    public static func micros(seconds: Double) -> SimTime {
        let scaled = (seconds * 1e6).rounded()
        if scaled >= 9.2e18 { return .max / 4 }
        if scaled <= -9.2e18 { return .min / 4 }
        return SimTime(scaled)
    }

    /// A time in seconds, for reports.
    @inlinable
    public static func seconds(_ time: SimTime) -> Double {
        Double(time) / 1e6
    }
}
