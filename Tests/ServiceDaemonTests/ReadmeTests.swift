import Foundation
import ServiceCore
import Testing

/// The README as a new user reads it: its command list and its "Try it"
/// block checked against the binary and the API.
@Suite struct ReadmeTests {
    static let readme = URL(fileURLWithPath: DaemonProcess.catalogue).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("README.md")

    static func text() throws -> String { try String(contentsOf: readme, encoding: .utf8) }

    /// Every option a command's --help lists is in its README line, and no other.
    @Test func commandListNamesEveryOptionOfEachCommand() throws {
        let lines = try Self.text().split(separator: "\n").filter { $0.hasPrefix("    service-daemon ") && !$0.contains("--help") }
        #expect(lines.count >= 7)
        for line in lines {
            let words = line.split(separator: " ").dropFirst()
            let command = words.prefix { $0.first?.isLowercase == true && !$0.hasPrefix("-") }.map(String.init)
            let help = try DaemonProcess.run(command + ["--help"])
            func options(_ text: some StringProtocol) -> Set<String> {
                Set(text.split(whereSeparator: { !($0.isLetter || $0 == "-") }).filter { $0.hasPrefix("--") && $0.count > 2 }.map(String.init))
            }
            let documented = options(line.split(separator: "#").first ?? "")
            let offered = options(help.stdout).subtracting(["--help"])
            #expect(!offered.isEmpty, "\(command)")
            #expect(documented == offered, "README line for \(command.joined(separator: " ")): \(documented.sorted()) vs --help \(offered.sorted())")
        }
    }

    /// The readiness line shows the schema version as the binary's latest
    /// migration, not a number that drifts; the dealer key is captured.
    @Test func tryItShowsReadinessAndCapturesTheDealerKey() throws {
        let text = try Self.text()
        let readyz = try #require(text.split(separator: "\n").first { $0.contains("curl -s localhost:8080/readyz") })
        #expect(readyz.contains(#"{"status":"ready","schema_version":N}"#))
        #expect(text.contains("until curl -sf localhost:8080/readyz"))
        #expect(text.contains("DEALER_KEY=$(curl"))
        #expect(!text.contains("../shared"))
        #expect(text.contains("docs/business-rules.md"))
        // What N stands for: the live answer carries the latest migration.
        let server = try APITestServer()
        let ready = try server.call("GET", "/readyz", key: nil)
        #expect(ready["status"] as? String == "ready")
        #expect(ready["schema_version"] as? Int == Schema.migrations.map(\.version).max())
    }
}
