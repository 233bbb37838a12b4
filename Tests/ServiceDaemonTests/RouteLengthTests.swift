import Foundation
import Testing

/// A route parses, authorises, calls one core operation and presents: the
/// closure registered for it stays under 30 lines. Rules that grow a route
/// belong in ServiceCore, parsing and presenting in helpers beside it.
@Suite struct RouteLengthTests {
    static let routes = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/ServiceDaemon/API/Routes")

    /// Every `group.<method>("...") { request in` closure with its length in lines, to its closing brace at the same indent.
    static func closures(in source: String) -> [(route: String, lines: Int)] {
        let lines = source.components(separatedBy: "\n")
        var found: [(String, Int)] = []
        for (index, line) in lines.enumerated() {
            let trimmed = line.drop { $0 == " " }
            guard trimmed.hasPrefix("group."), trimmed.hasSuffix("{ request in") else { continue }
            let indent = String(line.prefix(line.count - trimmed.count))
            guard let end = lines[(index + 1)...].firstIndex(of: indent + "}") else { continue }
            found.append((String(trimmed.prefix(80)), end - index + 1))
        }
        return found
    }

    @Test func theCounterFindsALongClosure() {
        let long = "    group.post(\"/x\") { request in\n" + String(repeating: "        a()\n", count: 40) + "    }\n"
        #expect(Self.closures(in: long).map(\.lines) == [42])
    }

    @Test func everyRouteIsUnderThirtyLines() throws {
        let files = try FileManager.default.contentsOfDirectory(at: Self.routes, includingPropertiesForKeys: nil).filter { $0.pathExtension == "swift" }
        #expect(files.count > 20)
        var counted = 0
        for file in files {
            for (route, lines) in Self.closures(in: try String(contentsOf: file, encoding: .utf8)) {
                counted += 1
                #expect(lines <= 30, "\(file.lastPathComponent): \(route) is \(lines) lines")
            }
        }
        #expect(counted > 80)
    }
}
