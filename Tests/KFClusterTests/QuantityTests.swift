import Testing
@testable import KFCluster

@Suite struct QuantityTests {
    @Test(arguments: [
        ("500m", 500), ("2", 2000), ("1.5", 1500), ("0.1", 100), ("100u", 1), ("1n", 1), ("2k", 2_000_000),
        ("0", 0), ("1e3", 1_000_000), ("1E-3", 1), ("+3", 3000), ("0.0005", 1), ("1.0001", 1001),
    ] as [(String, Int64)])
    func cpuMillicoresRoundUp(_ text: String, _ milli: Int64) throws {
        #expect(try Quantity.milli(text) == milli)
    }

    @Test(arguments: [
        ("128974848", 128_974_848), ("129e6", 129_000_000), ("129M", 129_000_000), ("123Mi", 128_974_848),
        ("1Gi", 1_073_741_824), ("1G", 1_000_000_000), ("1Ki", 1024), ("1.5Gi", 1_610_612_736), ("0.5", 1),
        ("2Ti", 2_199_023_255_552), ("1500m", 2), ("1E", 1_000_000_000_000_000_000),
    ] as [(String, Int64)])
    func memoryBytesExact(_ text: String, _ bytes: Int64) throws {
        #expect(try Quantity.value(text) == bytes)
    }

    @Test(arguments: [
        ("", "'' is not a Kubernetes quantity: empty"),
        ("abc", "'abc' is not a Kubernetes quantity: no digits; expected \(Quantity.acceptedForms)"),
        ("12x", "'12x' is not a Kubernetes quantity: unknown suffix 'x'; expected \(Quantity.acceptedForms)"),
        ("1.2.3", "'1.2.3' is not a Kubernetes quantity: unknown suffix '.3'; expected \(Quantity.acceptedForms)"),
        ("10Ei", "'10Ei' is not a Kubernetes quantity: too large"),
        ("1Mb", "'1Mb' is not a Kubernetes quantity: unknown suffix 'Mb'; expected \(Quantity.acceptedForms)"),
    ])
    func malformedQuantitiesAreRefusedWithAReason(_ text: String, _ message: String) {
        #expect(throws: Quantity.ParseError.self) { try Quantity.value(text) }
        do { _ = try Quantity.value(text) } catch { #expect(error.description == message) }
    }

    @Test func negativeQuantitiesParse() throws {
        #expect(try Quantity.milli("-1") == -1000)
    }
}
