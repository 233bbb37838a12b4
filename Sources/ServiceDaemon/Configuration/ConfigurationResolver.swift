import Foundation

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

    func resolve() throws(Failure) -> DaemonConfiguration {
        var configuration = DaemonConfiguration()
        if let path = flags["config"] ?? environment[Self.configFileVariable] {
            for (key, value) in try fileValues(path) {
                try apply(key, value, to: &configuration, origin: "config file \(path): \(key)")
            }
        }
        for (name, value) in environment.sorted(by: { $0.key < $1.key }) where name.hasPrefix("SERVICE_DAEMON_") {
            guard name != Self.configFileVariable else { continue }
            let key = String(name.dropFirst("SERVICE_DAEMON_".count)).lowercased()
            try apply(key, value, to: &configuration, origin: "environment \(name)")
        }
        for (key, value) in flags.sorted(by: { $0.key < $1.key }) where key != "config" {
            try apply(key, value, to: &configuration, origin: "--\(key.replacingOccurrences(of: "_", with: "-"))")
        }
        if let problem = configuration.tlsPairProblem { throw Failure(description: problem) }
        if let metricsPort = configuration.metricsPort, metricsPort != 0, metricsPort == configuration.port {
            throw Failure(description: "metrics_port: must differ from port \(metricsPort); metrics are never served on the public listener")
        }
        return configuration
    }

    private func apply(_ key: String, _ value: String, to configuration: inout DaemonConfiguration, origin: String) throws(Failure) {
        guard let setting = ConfigurationSetting.named(key) else {
            throw Failure(description: "\(origin): unknown setting; known: \(ConfigurationSetting.all.map(\.key).joined(separator: ", "))")
        }
        do {
            try setting.apply(&configuration, value)
        } catch {
            throw Failure(description: "\(origin): \(error.message)")
        }
    }

    /// A flat JSON object of strings and integers; integers are read as
    /// their text so every layer is parsed by the same rules.
    private func fileValues(_ path: String) throws(Failure) -> [(String, String)] {
        let data: Data
        do {
            data = try readFile(path)
        } catch {
            throw Failure(description: "config file \(path): cannot be read (\(error.localizedDescription))")
        }
        guard let object = try? JSONDecoder().decode([String: Scalar].self, from: data) else {
            throw Failure(description: "config file \(path): must be a JSON object")
        }
        var values: [(String, String)] = []
        for (key, value) in object.sorted(by: { $0.key < $1.key }) {
            guard let text = value.text else {
                throw Failure(description: "config file \(path): \(key): must be a string or an integer")
            }
            values.append((key, text))
        }
        return values
    }

    private struct Scalar: Decodable {
        let text: String?

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let number = try? container.decode(Int.self) {
                text = String(number)
            } else if let string = try? container.decode(String.self) {
                text = string
            } else {
                text = nil
            }
        }
    }
}
