import CGSL

/// One named source of random numbers, backed by a GSL Mersenne Twister.
///
/// Streams are derived from `(scenario seed, stream name)`, so adding a consumer of a new stream never
/// shifts the numbers another stream produces (common random numbers across policies).
public final class RandomStream {
    @usableFromInline let rng: OpaquePointer

    /// The stream's name, e.g. `arrivals`.
    public let name: String
    /// The 32-bit seed handed to GSL.
    public let derivedSeed: UInt32

    /// A stream for `name` under the scenario seed `seed`.
    public init(seed: UInt64, name: String) {
        kfsim_gsl_disable_abort()
        self.name = name
        self.derivedSeed = RandomStream.derive(seed: seed, name: name)
        rng = OpaquePointer(gsl_rng_alloc(kfsim_rng_mt19937()))
        gsl_rng_set(UnsafePointer(rng), UInt(derivedSeed))
        inlinedUniformInt = Self.inlinedDrawsMatchGSL
    }

    /// Whether `uniformInt` may use the inlined copy of GSL's MT19937 (`kfsim_mt_uniform_int`): checked
    /// once per process against GSL itself (2,000 draws over three state refills, bounds 1 to 2^32 - 1),
    /// so a GSL whose generator differs is simply called instead.
    @usableFromInline let inlinedUniformInt: Bool
    static let inlinedDrawsMatchGSL: Bool = {
        let a = gsl_rng_alloc(kfsim_rng_mt19937()), b = gsl_rng_alloc(kfsim_rng_mt19937())
        defer { gsl_rng_free(a); gsl_rng_free(b) }
        guard let a, let b, gsl_rng_max(a) == 0xffff_ffff, gsl_rng_min(a) == 0 else { return false }
        gsl_rng_set(a, 12345)
        gsl_rng_set(b, 12345)
        let bounds: [UInt] = [1, 2, 3, 7, 97, 1000, 65_537, 0x7fff_ffff, 0xffff_fffe, 0xffff_ffff]
        for i in 0..<2000 {
            let n = bounds[i % bounds.count]
            if gsl_rng_uniform_int(a, n) != kfsim_mt_uniform_int(b, n) { return false }
        }
        return gsl_rng_get(a) == gsl_rng_get(b)
    }()

    deinit { gsl_rng_free(UnsafeMutablePointer(rng)) }

    /// Stable mixing of the seed and the name: FNV-1a over the name, then SplitMix64 finalisation.
    static func derive(seed: UInt64, name: String) -> UInt32 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in name.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        var z = hash ^ (seed &* 0x9e37_79b9_7f4a_7c15)
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        z ^= z >> 31
        return UInt32(truncatingIfNeeded: z ^ (z >> 32))
    }

    @usableFromInline var pointer: UnsafePointer<gsl_rng> { UnsafePointer(rng) }

    /// A uniform number in [0, 1).
    @inlinable public func uniform() -> Double { gsl_rng_uniform(pointer) }

    /// A uniform integer in 0..<n (`n` > 0).
    @inlinable public func uniformInt(below n: Int) -> Int {
        precondition(n > 0, "uniformInt needs a positive bound")
        if inlinedUniformInt && n <= 0xffff_ffff { return Int(kfsim_mt_uniform_int(pointer, UInt(n))) }
        return Int(gsl_rng_uniform_int(pointer, UInt(n)))
    }

    /// Whether `uniformInt(below: n)` would be 0, drawing exactly what it draws (reservoir sampling
    /// asks only that): one division fewer, and none for `n` up to 4,096.
    public func drawsZero(below n: Int) -> Bool { lastZeroDraw(from: n, through: n) != nil }

    /// Reservoir sampling's draws for `first...last` tied candidates: `uniformInt(below: n)` for each n
    /// in order (the same numbers drawn); the last n whose draw was 0, or nil when none was.
    public func lastZeroDraw(from first: Int, through last: Int) -> Int? {
        guard first <= last else { return nil }
        guard inlinedUniformInt, first > 0, last <= 0xffff_ffff else {
            var picked: Int?
            for n in first...last where uniformInt(below: n) == 0 { picked = n }
            return picked
        }
        let picked = RandomStream.scales.withUnsafeBufferPointer { scales in
            kfsim_mt_reservoir(pointer, UInt(first), UInt(last), scales.baseAddress, UInt(scales.count))
        }
        return picked == 0 ? nil : Int(picked)
    }

    /// `0xffffffff / n` for n below 4,096 (`lastZeroDraw`).
    static let scales: [UInt] = (0..<4096).map { $0 == 0 ? 0 : 0xffff_ffff / UInt($0) }

    /// An exponential variate with the given mean.
    public func exponential(mean: Double) -> Double { gsl_ran_exponential(pointer, mean) }
    /// A normal variate.
    public func normal(mean: Double, sd: Double) -> Double { mean + gsl_ran_gaussian_ziggurat(pointer, sd) }
    /// A lognormal variate with log-mean `mu` and log-sd `sigma`.
    public func lognormal(mu: Double, sigma: Double) -> Double { gsl_ran_lognormal(pointer, mu, sigma) }
    /// A gamma variate with shape `k` and scale `theta`.
    public func gamma(shape: Double, scale: Double) -> Double { gsl_ran_gamma(pointer, shape, scale) }
    /// A Weibull variate with shape `k` and scale `lambda`.
    public func weibull(shape: Double, scale: Double) -> Double { gsl_ran_weibull(pointer, scale, shape) }
    /// A Pareto variate with shape `alpha` and scale (minimum) `xm`.
    public func pareto(shape: Double, scale: Double) -> Double { gsl_ran_pareto(pointer, shape, scale) }
    /// A uniform variate in [low, high).
    public func uniform(low: Double, high: Double) -> Double { gsl_ran_flat(pointer, low, high) }
}

/// The named streams of one run, created on first use.
public final class RandomStreams {
    /// The scenario seed every stream derives from.
    public let seed: UInt64
    private var streams: [String: RandomStream] = [:]

    /// Streams under `seed`.
    public init(seed: UInt64) { self.seed = seed }

    /// The stream called `name` (created on first use; same name, same stream).
    public func stream(_ name: String) -> RandomStream {
        if let existing = streams[name] { return existing }
        let created = RandomStream(seed: seed, name: name)
        streams[name] = created
        return created
    }
}
