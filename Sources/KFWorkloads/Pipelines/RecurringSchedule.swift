import KFEngine

/// A KFP recurring run's trigger: every `interval`, or at the minutes a cron expression names
/// (`minute hour day-of-month month day-of-week`; simulated time 0 is Monday 1 January, 00:00), at
/// most `count` times; `maxConcurrency` runs at once, and a run that falls due while that many are
/// active either waits for one to end (catch-up, KFP's default) or is skipped (`noCatchup`).
public struct RecurringSchedule: Sendable, Equatable {
    /// When runs fall due.
    public enum Trigger: Sendable, Equatable {
        /// Every so many seconds from `start`.
        case interval(Double)
        /// The cron fields, each a set of allowed values.
        case cron(minutes: Set<Int>, hours: Set<Int>, days: Set<Int>, months: Set<Int>, weekdays: Set<Int>)
    }
    /// The trigger.
    public var trigger: Trigger
    /// The first time a run may fall due, seconds.
    public var start: Double
    /// How many times runs fall due.
    public var count: Int
    /// Runs active at once.
    public var maxConcurrency: Int
    /// Skip runs that fall due while `maxConcurrency` are active (instead of starting them later).
    public var noCatchup: Bool

    /// A schedule.
    public init(trigger: Trigger, start: Double, count: Int, maxConcurrency: Int, noCatchup: Bool) {
        self.trigger = trigger
        self.start = start
        self.count = count
        self.maxConcurrency = maxConcurrency
        self.noCatchup = noCatchup
    }

    /// The due time after `t` (strictly), or nil when the cron never matches within a year.
    public func next(after t: SimTime) -> SimTime? {
        switch trigger {
        case .interval(let s):
            let first = Clock.micros(seconds: start)
            if t < first { return first }
            let step = max(Clock.micros(seconds: s), 1)
            return first + ((t - first) / step + 1) * step
        case .cron(let minutes, let hours, let days, let months, let weekdays):
            let minute: SimTime = 60 * Clock.microsPerSecond
            // The first whole minute after t (minute 0 itself when nothing has fallen due yet).
            var m = max(t < 0 ? 0 : t / minute + 1, (Clock.micros(seconds: start) + minute - 1) / minute)
            for _ in 0..<(366 * 24 * 60) {
                let (minuteOfHour, hour, day, month, weekday) = RecurringSchedule.calendar(minuteIndex: m)
                if minutes.contains(minuteOfHour) && hours.contains(hour) && days.contains(day) && months.contains(month) && weekdays.contains(weekday) {
                    return m * minute
                }
                m += 1
            }
            return nil
        }
    }

    /// Minute, hour, day of month (1-based), month (1-based) and weekday (0 Sunday) of minute `m` since
    /// Monday 1 January 00:00 of a non-leap year, repeating yearly.
    static func calendar(minuteIndex m: SimTime) -> (Int, Int, Int, Int, Int) {
        let minuteOfDay = Int(m % 1440), dayIndex = Int(m / 1440)
        var dayOfYear = dayIndex % 365
        let lengths = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        var month = 0
        while dayOfYear >= lengths[month] { dayOfYear -= lengths[month]; month += 1 }
        return (minuteOfDay % 60, minuteOfDay / 60, dayOfYear + 1, month + 1, (dayIndex + 1) % 7)
    }

    /// Parses a five-field cron expression (`*`, `*/n`, `a`, `a-b`, `a-b/n`, lists with `,`).
    public static func parseCron(_ text: String) -> Trigger? {
        let fields = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard fields.count == 5 else { return nil }
        let ranges = [0...59, 0...23, 1...31, 1...12, 0...6]
        var sets: [Set<Int>] = []
        for (f, range) in zip(fields, ranges) {
            var set = Set<Int>()
            for part in f.split(separator: ",") {
                let pieces = part.split(separator: "/", omittingEmptySubsequences: false)
                guard pieces.count <= 2 else { return nil }
                let step = pieces.count == 2 ? Int(pieces[1]) : 1
                guard let step, step >= 1 else { return nil }
                var lo = range.lowerBound, hi = range.upperBound
                if pieces[0] != "*" {
                    let bounds = pieces[0].split(separator: "-").map { Int($0) }
                    guard bounds.count == 1 || bounds.count == 2, let a = bounds[0], range.contains(a) else { return nil }
                    lo = a
                    hi = bounds.count == 2 ? (bounds[1] ?? -1) : (pieces.count == 2 ? range.upperBound : a)
                    guard range.contains(hi), hi >= lo else { return nil }
                }
                for v in stride(from: lo, through: hi, by: step) { set.insert(v) }
            }
            sets.append(set)
        }
        return .cron(minutes: sets[0], hours: sets[1], days: sets[2], months: sets[3], weekdays: sets[4])
    }
}
