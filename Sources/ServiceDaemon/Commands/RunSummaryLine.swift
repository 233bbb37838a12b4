import Foundation

/// The one line `bill` and `invoice` end with: on stdout, or on stderr when
/// the lines themselves go to stdout (`--output -`).
enum RunSummaryLine {
    static func report(_ run: String, for period: String, lines: Int, totalMinor: Int, currency: String, linesOnStandardOutput: Bool) {
        let money = String(format: "%.2f", Double(totalMinor) / 100)
        let text = "\(run) for \(period): \(lines) lines, total \(money) \(currency)"
        if linesOnStandardOutput {
            FileHandle.standardError.write(Data((text + "\n").utf8))
        } else {
            print(text)
        }
    }
}
