import Foundation

/// `path` made absolute against the working directory, so that every message
/// and log line says where a file really is (a cron job's working directory
/// is not the operator's).
public func absolutePath(_ path: String) -> String {
    let url = path.hasPrefix("/")
        ? URL(fileURLWithPath: path)
        : URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(path)
    return url.standardizedFileURL.path
}
