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
        do {
            let catalogue = try CatalogueLoader.load(path: try CatalogueLocation.resolve(configuration.cataloguePath))
            let database = try CommandDatabase.openExisting(configuration)
            let runs = PrepaidInvoicingRuns(currency: catalogue.currency)
            let (summary, lines) = try dryRun
                ? database.read { try runs.run($0, period: period, dryRun: true, principal: .commandLine) }
                : database.write { try runs.run($0, period: period, dryRun: false, principal: .commandLine) }
            if linesToStandardOutput || output != nil {
                // Written after the run: a file never holds lines of a run that failed.
                let file = try linesToStandardOutput ? LineFile(standardOutput: ()) : LineFile(path: output!)
                try file.append { out in
                    if format == .csv {
                        out.append(contentsOf: (PrepaidLine.csvHeader + lines.map { $0.csvRow() }.joined()).utf8)
                    } else {
                        for line in lines {
                            line.json().write(to: &out)
                            out.append(UInt8(ascii: "\n"))
                        }
                    }
                }
                try file.close()
            }
            RunSummaryLine.report(dryRun ? "dry run" : "invoicing run \(summary.id)", for: summary.period, lines: summary.lineCount,
                                  totalMinor: summary.totalMinor, currency: summary.currency, linesOnStandardOutput: linesToStandardOutput)
        } catch {
            throw CommandFailure.exit(error, "invoicing for \(period) failed")
        }
    }
}
