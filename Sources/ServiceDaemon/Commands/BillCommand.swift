import ArgumentParser
import Foundation
import ServiceCore
import ServiceJSON

/// The annual billing run for cron: safe beside a serving daemon on the same
/// database (a second run for the year is refused, a failed run leaves
/// nothing behind). Exit 0 with a one-line summary, non-zero with a message.
struct BillCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bill",
        abstract: "Run the annual overconsumption billing for a year; adjustments only for what earlier runs billed differently."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case json, csv }

    @Option(help: "The year to bill.")
    var year: Int

    @Flag(help: "Compute and report without storing anything.")
    var dryRun = false

    @Option(help: "Format of the lines: json (one object per line, the default) or csv. Without --output, the lines go to stdout.")
    var format: Format?

    @Option(help: "File to write the billed lines to; - for stdout. With the lines on stdout, the summary goes to stderr.")
    var output: String?

    /// For the tests: how long a run goes before its progress line shows.
    @Option(name: .customLong("progress-after-ms"), help: .hidden)
    var progressAfterMilliseconds = 1_000

    @OptionGroup var catalogue: CatalogueOption
    @OptionGroup var shared: SharedOptions

    func validate() throws {
        let years = BillingRunner.years
        guard years.contains(year) else { throw ValidationError("--year must be between \(years.lowerBound) and \(years.upperBound)") }
    }

    /// Lines to stdout for `--output -`, and for `--format` alone.
    private var linesToStandardOutput: Bool { output == "-" || (output == nil && format != nil) }

    func run() throws {
        let configuration = try shared.resolve(extraFlags: catalogue.flags)
        let format = self.format ?? .json
        var file: LineFile?
        let progress = ProgressLine.onTerminal("billing \(year)", after: .milliseconds(progressAfterMilliseconds))
        do {
            let catalogue = try CatalogueLoader.load(path: try CatalogueLocation.resolve(configuration.cataloguePath))
            let database = try CommandDatabase.openExisting(configuration)
            if linesToStandardOutput {
                file = LineFile(standardOutput: ())
            } else if let output {
                do { file = try LineFile(path: output) } catch { throw ValidationError("cannot write \(absolutePath(output))") }
            }
            if format == .csv { try file?.append { $0.append(contentsOf: BillingLine.csvHeader.utf8) } }
            let runner = BillingRunner(database: database, catalogue: catalogue) { orphan in
                CommandFailure.report("\(orphan)")
            }
            try runner.verifyBilledPrices()
            let emit = { (item: BillingRunner.RunLine) throws -> Void in
                try file?.append { out in
                    if format == .csv {
                        out.append(contentsOf: item.line.csvRow(adjustment: item.adjustment).utf8)
                    } else {
                        item.line.json(adjustment: item.adjustment).write(to: &out)
                        out.append(UInt8(ascii: "\n"))
                    }
                }
            }
            let summary = try runner.run(year: year, dryRun: dryRun, principal: .commandLine, emit: emit, progress: progress?.update)
            try file?.close()
            progress?.finish()
            RunSummaryLine.report(dryRun ? "dry run" : "billing run \(summary.id)", for: String(year), lines: summary.lineCount,
                                  totalMinor: summary.totalMinor, currency: summary.currency, linesOnStandardOutput: linesToStandardOutput)
        } catch {
            try? file?.close()
            progress?.finish()
            // A partial file must not be mistaken for a run's lines.
            if let output, !linesToStandardOutput, file != nil { try? FileManager.default.removeItem(atPath: output) }
            throw CommandFailure.exit(error, "billing for \(year) failed")
        }
    }
}
