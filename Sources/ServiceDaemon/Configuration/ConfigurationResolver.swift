import Foundation
import ServiceJSON

/// Builds the configuration from its layers, later winning: defaults <
/// config file < environment < flags. Every value is validated where it is
/// read, and an error names the layer and key at fault, so an operator
/// knows which of the four places to fix.
struct ConfigurationResolver {
    var flags: [String: String] = [:]
    var environment: [String: String] = [:]
    /// Reads the config file; injectable for tests.
    var readFile: (String) throws -> Data = { try Data(contentsOf: URL(fileURLWithPath: $0)) }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static let configFileVariable = "SERVICE_DAEMON_CONFIG"

    /// Every bad setting of every layer is reported at once, one per line,
    /// so an operator fixes a broken deployment in one pass instead of one
    /// restart per mistake.
    func resolve() throws(Failure) -> DaemonConfiguration {
        var configuration = DaemonConfiguration()
        var problems: [String] = []
        if let path = flags["config"] ?? environment[Self.configFileVariable] {
            for (key, value) in fileValues(path, problems: &problems) {
                apply(key, value, to: &configuration, origin: "config file \(path): \(key)", problems: &problems)
            }
        }
        for (name, value) in environment.sorted(by: { $0.key < $1.key }) where name.hasPrefix("SERVICE_DAEMON_") {
            guard name != Self.configFileVariable else { continue }
            let key = String(name.dropFirst("SERVICE_DAEMON_".count)).lowercased()
            apply(key, value, to: &configuration, origin: "environment \(name)", problems: &problems)
        }
        for (key, value) in flags.sorted(by: { $0.key < $1.key }) where key != "config" {
            apply(key, value, to: &configuration, origin: "--\(key.replacingOccurrences(of: "_", with: "-"))", problems: &problems)
        }
        if problems.isEmpty {
            if let problem = configuration.tlsPairProblem { problems.append(problem) }
            if let metricsPort = configuration.metricsPort, metricsPort != 0, metricsPort == configuration.port {
                problems.append("metrics_port: must differ from port \(metricsPort); metrics are never served on the public listener")
            }
        }
        guard problems.isEmpty else { throw Failure(description: problems.joined(separator: "\n")) }
        return configuration
    }

    private func apply(_ key: String, _ value: String, to configuration: inout DaemonConfiguration, origin: String, problems: inout [String]) {
        guard let setting = ConfigurationSetting.named(key) else {
            problems.append("\(origin): unknown setting; known: \(ConfigurationSetting.all.map(\.key).joined(separator: ", "))")
            return
        }
        do {
            try setting.apply(&configuration, value)
        } catch {
            problems.append("\(origin): \(error.message)")
        }
    }

    /// A flat JSON object of strings and integers, read by the same strict
    /// parser as request bodies (a repeated key is an error, not a silent
    /// overwrite); integers are kept as their text so every layer is
    /// parsed by the same rules.
    private func fileValues(_ path: String, problems: inout [String]) -> [(String, String)] {
        let data: Data
        do {
            data = try readFile(path)
        } catch {
            problems.append("config file \(path): cannot be read (\(error.localizedDescription))")
            return []
        }
        let value: JSONValue
        do {
            value = try JSONParser.parse([UInt8](data), limits: .request)
        } catch {
            problems.append("config file \(path): \(error.description)")
            return []
        }
        guard case .object(let members) = value else {
            problems.append("config file \(path): must be a JSON object, got \(value.kindName)")
            return []
        }
        var values: [(String, String)] = []
        for (key, member) in members {
            switch member {
            case .int(let number): values.append((key, String(number)))
            case .string(let text): values.append((key, text))
            case .bool(let flag) where ConfigurationSetting.named(key)?.isBoolean == true: values.append((key, String(flag)))
            default: problems.append("config file \(path): \(key): must be a string or an integer, got \(member.kindName)")
            }
        }
        return values
    }
}
