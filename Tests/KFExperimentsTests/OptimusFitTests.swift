import Foundation
import Testing
@testable import KFExperiments

@Suite struct OptimusFitTests {
    @Test func parsesAMeasurementLine() throws {
        let dir = Paths.temporary()
        try "('resnet-50', 'dist_sync', 32, 2, 3, [8.178, 8.182, 7.442], [1.95, 1.061], [0.573, 0.555, 0.588])\n"
            .write(toFile: "\(dir)/c.txt", atomically: true, encoding: .utf8)
        let s = try OptimusFit.read(file: "\(dir)/c.txt")
        #expect(s == [OptimusFit.Sample(model: "resnet-50", synchronous: true, batch: 32, ps: 2, workers: 3, speed: 8.178 + 8.182 + 7.442)])
    }

    @Test func recoversKnownThetas() {
        let theta = [0.001, 0.02, 0.01, 0.003, 0.002]
        var samples: [OptimusFit.Sample] = []
        for p in 1...4 { for w in 1...8 {
            samples.append(.init(model: "m", synchronous: true, batch: 64, ps: Double(p), workers: Double(w),
                                 speed: OptimusFit.speed(theta: theta, batch: 64, ps: Double(p), workers: Double(w))))
        } }
        let fit = OptimusFit.fit(samples)[0]
        for (a, b) in zip(fit.theta, theta) { #expect(abs(a - b) < 1e-9) }
        #expect(fit.meanAbsolutePercentageError < 1e-9)
    }

    /// On the DL2 measurements the per-model error is comparable to published fits (a few % to ~20%).
    @Test(.enabled(if: Paths.sharedData != nil, "../shared/data is absent"))
    func fitsTheMeasuredSpeeds() throws {
        let fits = OptimusFit.fit(try OptimusFit.read(file: Paths.sharedData! + "/ps-speed/config_speed.txt"))
        #expect(fits.count == 8)
        for f in fits { #expect(f.meanAbsolutePercentageError < 0.15, "\(f.model): \(f.meanAbsolutePercentageError)") }
        #expect(fits.map(\.samples).reduce(0, +) >= 790)
    }
}
