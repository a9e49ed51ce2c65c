import Foundation

/// Latencies of many requests in constant memory: log-spaced buckets, 200 per decade (quantiles within
/// 1.2% of the exact value) from 1 µs to 10^6 s, with the exact count, sum and maximum.
public struct LatencyHistogram: Sendable {
    static let perDecade = 200.0
    static let lowest = 1e-6
    var buckets = [UInt32](repeating: 0, count: 12 * 200 + 1)
    /// Requests recorded.
    public private(set) var count = 0
    /// Sum of their latencies, seconds.
    public private(set) var sum = 0.0
    /// The largest, seconds.
    public private(set) var maximum = 0.0

    /// An empty histogram.
    public init() {}

    /// Records one latency in seconds.
    public mutating func record(_ seconds: Double) {
        count += 1
        sum += seconds
        maximum = max(maximum, seconds)
        let i = seconds <= Self.lowest ? 0 : Int((log10(seconds / Self.lowest) * Self.perDecade).rounded(.up))
        buckets[min(max(i, 0), buckets.count - 1)] &+= 1
    }

    /// The mean (nil: no request).
    public var mean: Double? { count > 0 ? sum / Double(count) : nil }

    /// The `q` quantile (0...1): the upper edge of the bucket holding it, at most the maximum (nil: none).
    public func quantile(_ q: Double) -> Double? {
        guard count > 0 else { return nil }
        let rank = max(1, Int((q * Double(count)).rounded(.up)))
        var seen = 0
        for (i, n) in buckets.enumerated() {
            seen += Int(n)
            if seen >= rank { return min(Self.lowest * pow(10, Double(i) / Self.perDecade), maximum) }
        }
        return maximum
    }
}

extension LatencyHistogram {
    /// Adds another histogram's requests to this one.
    public mutating func merge(_ other: LatencyHistogram) {
        for i in buckets.indices { buckets[i] &+= other.buckets[i] }
        count += other.count
        sum += other.sum
        maximum = max(maximum, other.maximum)
    }
}
