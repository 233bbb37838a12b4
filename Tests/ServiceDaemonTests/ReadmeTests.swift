import Foundation
import ServiceCore
import Testing

/// The README as a newcomer uses it: its "Try it" block run as written (on
/// a free port, against the binary just built) and its command list held
/// against each command's --help.
@Suite struct ReadmeTests {
    static let repository = URL(fileURLWithPath: DaemonProcess.catalogue).deletingLastPathComponent().deletingLastPathComponent()

    static func readme() throws -> String {
        try String(contentsOf: repository.appendingPathComponent("README.md"), encoding: .utf8)
    }

    /// The indented block under a heading, dedented, continuation lines kept.
    static func block(under heading: String, in text: String) throws -> [String] {
        let lines = text.components(separatedBy: "\n")
        let start = try #require(lines.firstIndex(of: heading))
        let body = lines[(start + 1)...].drop { $0.isEmpty }.prefix { $0.isEmpty || $0.hasPrefix("    ") }
        return body.map { String($0.dropFirst(4)) }
    }

    /// Every line of "Try it" runs in bash, in order, with three
    /// substitutions only: the daemon is the built binary on a free port
    /// rather than `scripts/run.sh` on 8080, and its database is a fresh one.
    @Test func tryItRunsAsWritten() throws {
        var script = try Self.block(under: "## Try it", in: Self.readme())
        #expect(script.first?.hasPrefix("scripts/run.sh &") == true)
        let directory = try TemporaryDirectory()
        let port = try Self.freePort()
        script[0] = "\"$DAEMON\" serve --port \(port) --log-level error & DPID=$!"
        let body = script.joined(separator: "\n")
            .replacingOccurrences(of: "localhost:8080", with: "localhost:\(port)")
            .replacingOccurrences(of: ".build/release/service-daemon", with: "\"$DAEMON\"")
        let wrapped = "set -eu\ntrap 'kill ${DPID:-} 2>/dev/null; wait' EXIT\n" + body + "\n"
        let result = try DaemonProcess.run(["bash", "-c", wrapped], environment: [
            "DAEMON": DaemonProcess.binary.path, "SERVICE_DAEMON_DB": directory.path("service.db"),
        ], directory: directory.url, executable: URL(fileURLWithPath: "/usr/bin/env"))
        #expect(result.status == 0, "\(result.stderr)")
        let out = result.stdout
        #expect(out.contains(#"{"status":"ok"}"#), "\(out)")
        let latest = try #require(Schema.migrations.map(\.version).max())
        #expect(out.contains(#"{"status":"ready","schema_version":\#(latest)}"#), "\(out)")
        #expect(out.contains(#""serial":"QX1234""#), "the device was created: \(out)")
        #expect(out.contains(#""id":"con_"#), "the contract was created: \(out)")
        #expect(!out.contains(#""status":4"#), "no request failed: \(out)")
    }

    /// Every option a command's --help lists is on its README line, and no other.
    @Test func commandListNamesEveryOptionOfEachCommand() throws {
        let lines = try Self.block(under: "## Commands", in: Self.readme()).filter { $0.hasPrefix("service-daemon ") && !$0.contains("--help") }
        #expect(lines.count >= 7)
        for line in lines {
            let command = Self.commandWords(line)
            let help = try DaemonProcess.run(command + ["--help"])
            let usage = String(line.split(separator: "#").first ?? "")
            let documented = Self.options(usage)
            let offered = Self.options(help.stdout).subtracting(["--help", "--version"])
            #expect(!offered.isEmpty, "\(command)")
            #expect(documented == offered, "README line for \(command): \(documented.sorted()) vs --help \(offered.sorted())")
        }
    }

    /// `service-daemon keys create --role ...` -> ["keys", "create"].
    static func commandWords(_ line: String) -> [String] {
        var words: [String] = []
        for word in line.split(separator: " ").dropFirst() {
            guard let first = word.first, first.isLowercase else { break }
            words.append(String(word))
        }
        return words
    }

    static func options(_ text: String) -> Set<String> {
        let words = text.split(whereSeparator: { !($0.isLetter || $0 == "-") })
        return Set(words.filter { $0.hasPrefix("--") && $0.count > 2 }.map(String.init))
    }

    /// The README is the user's only document: it links the repository's own
    /// rules, never the workspace's.
    @Test func linksOnlyWhatTheRepositoryHas() throws {
        let text = try Self.readme()
        #expect(!text.contains("../shared"))
        for link in ["docs/business-rules.md", "docs/cps.md", "docs/imageprograf.md"] {
            #expect(text.contains(link), "\(link)")
            #expect(FileManager.default.fileExists(atPath: Self.repository.appendingPathComponent(link).path), "\(link)")
        }
    }

    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw POSIXError(.EADDRINUSE) }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
