import Foundation
import ServiceCore

/// Where the catalogue is read from. A configured path (`--catalogue`,
/// `SERVICE_DAEMON_CATALOGUE`, the config file) is taken against the working
/// directory; without one, the catalogue that ships with the binary is used,
/// wherever the binary is run from: installed beside it
/// (`PREFIX/bin/service-daemon` reads `PREFIX/share/service-daemon/packages.json`,
/// see scripts/install.sh), or, for a binary still in the build folder of a
/// source tree, that tree's `Resources/packages.json` as it is now.
enum CatalogueLocation {
    struct NotFound: Error, CustomStringConvertible {
        let searched: [String]

        var description: String {
            "no catalogue: none installed with the binary (looked at \(searched.joined(separator: ", "))); pass --catalogue FILE"
        }
    }

    static let installedPath = "share/service-daemon/packages.json"

    /// The catalogue to read, as an absolute path.
    static func resolve(_ configured: String?) throws -> String {
        if let configured { return absolutePath(configured) }
        let candidates = shipped()
        guard let found = candidates.first(where: { FileManager.default.isReadableFile(atPath: $0) }) else {
            throw NotFound(searched: candidates)
        }
        return found
    }

    /// Where a shipped catalogue may be, in order.
    static func shipped(executable: URL = runningExecutable, sourceRoot: URL = sourceRoot) -> [String] {
        let prefix = executable.deletingLastPathComponent().deletingLastPathComponent()
        var candidates = [prefix.appendingPathComponent(installedPath).path]
        if executable.path.hasPrefix(sourceRoot.path + "/") {
            candidates.append(sourceRoot.appendingPathComponent("Resources/packages.json").path)
        }
        return candidates
    }

    /// The binary itself, symbolic links resolved (a link in /usr/local/bin
    /// to an installed tree still finds that tree).
    static var runningExecutable: URL {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    }

    /// The source tree this binary was compiled from.
    static let sourceRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
}
