import Foundation

/// Without libFuzzer, a fuzz target replays the files named on its command
/// line (crash reproducers, corpus entries) through the same checks.
public enum FuzzReplay {
    public static func files(_ run: ([UInt8]) -> Void) throws {
        for path in CommandLine.arguments.dropFirst() {
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
            run(bytes)
            print("ok \(path) (\(bytes.count) bytes)")
        }
    }
}
