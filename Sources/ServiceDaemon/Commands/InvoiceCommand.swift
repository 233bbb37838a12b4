import ArgumentParser
import Foundation
import ServiceCore
import ServiceJSON

/// The prepaid invoicing run for cron: safe beside a serving daemon on the
/// same database (a run reads, computes and stores in one transaction, so a
/// contract's period is never invoiced twice). Exit 0 with a one-line
/// summary, non-zero with a message.
struct InvoiceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "invoice",
        abstract: "Invoice every contract's prepaid sum in advance for a period; corrections only for what earlier runs invoiced differently."
    )

    @Option(help: "The period: a year (2026), a quarter (2026-Q2) or a month (2026-04).")
    var period: String

    @Flag(help: "Compute and report without storing anything.")
    var dryRun = false

    @Option(help: "Format of the lines: json (one object per line, the default) or csv. Without --output, the lines go to stdout.")
    var format: BillCommand.Format?

    @Option(help: "File to write the invoiced lines to; - for stdout. With the lines on stdout, the summary goes to stderr.")
    var output: String?

    @OptionGroup var catalogue: CatalogueOption
    @OptionGroup var shared: SharedOptions

    func validate() throws {
        guard CalendarPeriod(period) != nil else { throw ValidationError("--period \(InvoicingRoutes.periodRule)") }
    }

    /// Lines to stdout for `--output -`, and for `--format` alone.
    private var linesToStandardOutput: Bool { output == "-" || (output == nil && format != nil) }

    func run() throws {
        let period = CalendarPeriod(self.period)!
        let configuration = try shared.resolve(extraFlags: catalogue.flags)
        var file: LineFile?
        do {
            let catalogue = try CatalogueLoader.load(path: try CatalogueLocation.resolve(configuration.cataloguePath))
            let database = try CommandDatabase.openExisting(configuration)
            let runs = PrepaidInvoicingRuns(currency: catalogue.currency)
            let summary: PrepaidInvoicingRuns.Summary
            if dryRun {
                // Nothing is stored: the lines are written as the run computes them, a page of contracts at a time.
                file = try openLines()
                summary = try database.read { try runs.run($0, period: period, dryRun: true, principal: .commandLine) { try write($0, to: file) } }
            } else {
                summary = try database.write { try runs.run($0, period: period, dryRun: false, principal: .commandLine) }
                // Written once the run is stored, read back a page at a time: a file never holds lines of a run that failed.
                file = try openLines()
                var after = 0
                while file != nil {
                    let page = try database.read { try InvoicingRunStore.lines($0, runID: summary.id, scope: nil, afterID: after, limit: 1_000) }
                    for stored in page { try write(stored.line, to: file) }
                    guard page.count == 1_000, let last = page.last else { break }
                    after = last.id
                }
            }
            try file?.close()
            RunSummaryLine.report(dryRun ? "dry run" : "invoicing run \(summary.id)", for: summary.period, lines: summary.lineCount,
                                  totalMinor: summary.totalMinor, currency: summary.currency, linesOnStandardOutput: linesToStandardOutput)
        } catch {
            try? file?.close()
            // A partial file must not be mistaken for a run's lines.
            if let output, !linesToStandardOutput, file != nil { try? FileManager.default.removeItem(atPath: output) }
            throw CommandFailure.exit(error, "invoicing for \(period) failed")
        }
    }

    /// Where the lines go, with the CSV header written; nil when they are not asked for.
    private func openLines() throws -> LineFile? {
        let file: LineFile
        if linesToStandardOutput {
            file = LineFile(standardOutput: ())
        } else if let output {
            file = try LineFile(path: output)
        } else {
            return nil
        }
        if format == .csv { try file.append { $0.append(contentsOf: PrepaidLine.csvHeader.utf8) } }
        return file
    }

    private func write(_ line: PrepaidLine, to file: LineFile?) throws {
        try file?.append { out in
            if format == .csv {
                out.append(contentsOf: line.csvRow().utf8)
            } else {
                line.json().write(to: &out)
                out.append(UInt8(ascii: "\n"))
            }
        }
    }
}
