import KFControlPlane
import Foundation
import KFEngine
import Testing
@testable import KFExperiments

@Suite struct OutputTests {
    @Test func formatsAreExactAndLocaleFree() {
        #expect(Format.seconds(1_500_000) == "1.500000")
        #expect(Format.seconds(7) == "0.000007")
        #expect(Format.seconds(-1) == "")
        #expect(Format.number(0.1234565) == "0.123457" || Format.number(0.1234565) == "0.123456")
        #expect(Format.number(-0.0000001) == "0.000000")
        #expect(Format.number(2.5) == "2.500000")
        #expect(Format.number(-3.25) == "-3.250000")
        #expect(Format.csvLine(["a", "b,c", "say \"hi\""]) == "a,\"b,c\",\"say \"\"hi\"\"\"\n")
    }

    @Test func jsonIsRenderedInKeyOrder() {
        let v = JSONValue.object([("b", .int(1)), ("a", .array([.double(0.5), .string("x\"y")])), ("c", .object([]))])
        #expect(v.rendered() == "{\n  \"b\": 1,\n  \"a\": [\n    0.500000,\n    \"x\\\"y\"\n  ],\n  \"c\": {}\n}")
    }

    @Test func atomicWriteReplacesAndLeavesNoTemporaryFile() throws {
        let dir = Paths.temporary()
        try AtomicFile.write("one\n", to: "\(dir)/f.csv")
        try AtomicFile.write("two\n", to: "\(dir)/f.csv")
        #expect(try String(contentsOfFile: "\(dir)/f.csv", encoding: .utf8) == "two\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["f.csv"])
    }

    /// A folder is replaced through a staging folder in its own `.<name>.staging`: what a killed run left
    /// there is removed by the next run, another live run's staging is kept, other names are left alone,
    /// and nothing is left once done (the parent's other entries are never read).
    @Test func outputFolderStagesBesideItselfAndCleansUpKilledRuns() throws {
        let parent = Paths.temporary(), dir = "\(parent)/out", container = "\(parent)/.out.staging"
        try OutputFolder.replace(dir, kind: "run", files: [("a.csv", "1\n")])
        let gone = try Self.process("/bin/true", [])
        gone.waitUntilExit()
        let alive = try Self.process("/bin/sleep", ["30"])
        defer { alive.terminate() }
        let dead = "\(container)/\(gone.processIdentifier)-7", live = "\(container)/\(alive.processIdentifier)-8"
        let other = "\(container)/notes"
        for d in [dead, live, other] { try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true) }
        try OutputFolder.replace(dir, kind: "run", files: [("b.csv", "2\n")])
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == [".kfsim-output", "b.csv"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: container).sorted() == ["\(alive.processIdentifier)-8", "notes"])
        for d in [live, other] { try FileManager.default.removeItem(atPath: d) }
        try OutputFolder.replace(dir, kind: "run", files: [("c.csv", "3\n")])
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent) == ["out"])
    }

    /// A run killed between setting the old folder aside and moving the new one in (file systems without
    /// an exchange): the next run puts the old folder back when nothing took its place.
    @Test func anOldFolderSetAsideByAKilledRunGoesBack() throws {
        let parent = Paths.temporary(), dir = "\(parent)/out", container = "\(parent)/.out.staging"
        let gone = try Self.process("/bin/true", [])
        gone.waitUntilExit()
        let aside = "\(container)/\(gone.processIdentifier)-9.old"
        try FileManager.default.createDirectory(atPath: aside, withIntermediateDirectories: true)
        try "old\n".write(toFile: "\(aside)/a.csv", atomically: false, encoding: .utf8)
        OutputFolder.removeAbandonedStaging(in: container, for: dir)
        #expect(try String(contentsOfFile: "\(dir)/a.csv", encoding: .utf8) == "old\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: container).isEmpty)
    }

    /// A `.<name>.staging` that is a symlink (or not this user's folder) is refused, never followed.
    @Test func aPlantedStagingContainerIsRefused() throws {
        let parent = Paths.temporary(), target = "\(parent)/elsewhere"
        try FileManager.default.createDirectory(atPath: "\(target)/123-4", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: "\(parent)/.out.staging", withDestinationPath: target)
        #expect(throws: OutputFolder.Problem.self) { try OutputFolder.replace("\(parent)/out", kind: "run", files: [("a.csv", "1\n")]) }
        #expect(FileManager.default.fileExists(atPath: "\(target)/123-4"))
        #expect(!FileManager.default.fileExists(atPath: "\(parent)/out"))
    }

    static func process(_ path: String, _ arguments: [String]) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = arguments
        try p.run()
        return p
    }

    @Test func writingIntoAnUnwritablePlaceFailsCleanly() {
        #expect(throws: AtomicFile.WriteError.self) { try AtomicFile.write("x", to: "/proc/kfsim-cannot/f.csv") }
    }
}
