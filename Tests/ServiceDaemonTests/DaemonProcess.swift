import Foundation
import HTTPTestSupport

/// The real `service-daemon` binary run as a child process, as an operator
/// or a cron job would run it; also the command-line tools tests drive it
/// with (curl, openssl), through `tool`.
final class DaemonProcess {
    let process = Process()
    private let errorPipe = Pipe()
    private let outputPipe = Pipe()
    private let inputPipe = Pipe()
    private let collected = Collected()
    private let drained = DispatchGroup()
    private(set) var port = 0

    final class Collected: @unchecked Sendable {
        private let lock = NSLock()
        private var stderr = Data()
        private var stdout = Data()
        func append(stderr data: Data) { lock.withLock { stderr.append(data) } }
        func append(stdout data: Data) { lock.withLock { stdout.append(data) } }
        var stderrText: String { lock.withLock { String(decoding: stderr, as: UTF8.self) } }
        var stdoutText: String { lock.withLock { String(decoding: stdout, as: UTF8.self) } }
    }

    /// The repository's catalogue, wherever the test runs from.
    static let catalogue = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Resources/packages.json").path

    static var binary: URL {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("service-daemon")
    }

    /// `catalogue` nil leaves the binary to find the catalogue it ships with.
    convenience init(_ arguments: [String], environment: [String: String] = [:], directory: URL? = nil, catalogue: String? = catalogue) throws {
        try self.init(executable: Self.binary, arguments, environment: environment, directory: directory, catalogue: catalogue)
    }

    /// A program from PATH (e.g. `openssl`), its standard input a pipe fed by `send`.
    static func tool(_ name: String, _ arguments: [String]) throws -> DaemonProcess {
        signal(SIGPIPE, SIG_IGN)  // a tool that exits before reading all its input must not end the test run
        return try DaemonProcess(executable: URL(fileURLWithPath: "/usr/bin/env"), [name] + arguments)
    }

    /// Another program (a wrapper such as setpriv or script, an installed copy of the binary).
    init(executable: URL, _ arguments: [String], environment: [String: String] = [:], directory: URL? = nil, catalogue: String? = catalogue) throws {
        process.executableURL = executable
        process.arguments = arguments
        process.standardInput = inputPipe
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("SERVICE_DAEMON_") }
        env["SERVICE_DAEMON_CATALOGUE"] = catalogue
        env.merge(environment) { _, new in new }
        process.environment = env
        if let directory { process.currentDirectoryURL = directory }
        process.standardError = errorPipe
        process.standardOutput = outputPipe
        let collected = self.collected
        // One reader thread per pipe, to end of file: `wait` knows when
        // every byte has arrived instead of guessing with a sleep.
        for (handle, isError) in [(errorPipe.fileHandleForReading, true), (outputPipe.fileHandleForReading, false)] {
            drained.enter()
            Thread.detachNewThread { [drained] in
                while case let data = handle.availableData, !data.isEmpty {
                    if isError { collected.append(stderr: data) } else { collected.append(stdout: data) }
                }
                drained.leave()
            }
        }
        try process.run()
    }

    var stderr: String { collected.stderrText }
    var stdout: String { collected.stdoutText }

    func send(_ text: String) { inputPipe.fileHandleForWriting.write(Data(text.utf8)) }
    func closeInput() { try? inputPipe.fileHandleForWriting.close() }

    /// Waits until standard output holds `text` `count` times; false on timeout.
    func waitForOutput(_ text: String, count: Int = 1, timeout: TimeInterval = 10) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if stdout.components(separatedBy: text).count > count { return true }
            usleep(20_000)
        }
        return false
    }

    /// Waits for a log line with this message; the first one whose fields pass `where`.
    func waitForLog(_ message: String, timeout: TimeInterval = 10, where matches: ([String: Any]) -> Bool = { _ in true }) -> [String: Any]? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let line = logLines.first(where: { $0["msg"] as? String == message && matches($0) }) { return line }
            usleep(20_000)
        }
        return nil
    }

    /// JSON log lines written so far.
    var logLines: [[String: Any]] {
        stderr.split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
        }
    }

    /// Waits for the "listening" log line and takes the port from it.
    func waitUntilListening(timeout: TimeInterval = 20) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            // The public listener, not the metrics one.
            if let line = logLines.first(where: { $0["msg"] as? String == "listening" && $0["listener"] == nil }),
               let address = line["address"] as? String,
               let port = address.split(separator: ":").last.flatMap({ Int($0) }) {
                self.port = port
                return
            }
            guard process.isRunning else { break }
            usleep(20_000)
        }
        throw RawClient.ClientError(description: "daemon did not start listening; stderr:\n\(stderr)")
    }

    func client() throws -> RawClient { try RawClient(port: port) }

    func terminate() { process.terminate() }

    /// Waits for exit and returns the status.
    @discardableResult
    func wait(timeout: TimeInterval = 20) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        guard !process.isRunning else {
            process.interrupt()
            return nil
        }
        _ = drained.wait(timeout: .now() + 10)  // the pipes' last bytes
        return process.terminationStatus
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        closeInput()
    }

    /// Runs a command to completion.
    static func run(
        _ arguments: [String], environment: [String: String] = [:], directory: URL? = nil, catalogue: String? = catalogue,
        executable: URL = binary, timeout: TimeInterval = 20
    ) throws -> (status: Int32?, stdout: String, stderr: String) {
        try finish(DaemonProcess(executable: executable, arguments, environment: environment, directory: directory, catalogue: catalogue),
                   timeout: timeout)
    }

    /// Runs a tool from PATH to completion, `input` on its standard input.
    static func runTool(_ name: String, _ arguments: [String], input: String = "") throws -> (status: Int32?, stdout: String, stderr: String) {
        let tool = try tool(name, arguments)
        tool.send(input)
        tool.closeInput()
        return finish(tool)
    }

    private static func finish(_ process: DaemonProcess, timeout: TimeInterval = 20) -> (status: Int32?, stdout: String, stderr: String) {
        let status = process.wait(timeout: timeout)
        return (status, process.stdout, process.stderr)
    }
}

/// A fresh directory per test, removed afterwards.
final class TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("service-daemon-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    deinit { try? FileManager.default.removeItem(at: url) }
}
