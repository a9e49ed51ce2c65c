import Foundation
import Testing

/// ARCHITECTURE.md's worked examples are the compiled ones of ExtensionExamples.swift.
@Suite struct ArchitectureDocTests {
    @Test func everyExampleLineIsInTheCompiledExamples() throws {
        let doc = try String(contentsOf: Paths.root.appendingPathComponent("ARCHITECTURE.md"), encoding: .utf8)
        let examples = try String(contentsOf: Paths.root.appendingPathComponent("Tests/KFExperimentsTests/ExtensionExamples.swift"),
                                  encoding: .utf8)
        let blocks = doc.components(separatedBy: "```swift\n").dropFirst().map { $0.components(separatedBy: "```")[0] }
        #expect(blocks.count >= 8)
        for block in blocks {
            for line in block.split(separator: "\n") {
                let text = line.trimmingCharacters(in: .whitespaces)
                // Glue lines that only exist in the document (creating the registries, parsing).
                if text.hasPrefix("var registries") || text.hasPrefix("var policies") || text.hasPrefix("let scenario") { continue }
                #expect(examples.contains(text), "ARCHITECTURE.md line not in ExtensionExamples.swift: \(text)")
            }
        }
    }
}
