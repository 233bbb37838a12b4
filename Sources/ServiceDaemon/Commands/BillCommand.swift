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

    @Option(help: "Format of the lines written to --output: json (one object per line) or csv.")
    var format: Format = .json

    @Option(help: "File to write the billed lines to.")
    var output: String?

    @OptionGroup var catalogue: CatalogueOption
    @OptionGroup var shared: SharedOptions

    func validate() throws {
        let years = BillingRunner.years
        guard years.contains(year) else { throw ValidationError("--year must be between \(years.lowerBound) and \(years.upperBound)") }
    }

    func run() throws {
        let configuration = try shared.resolve(extraFlags: catalogue.flags)
        var file: LineFile?
        do {
            let catalogue = try CatalogueLoader.load(path: configuration.cataloguePath)
            let database = try DatabasePool(configuration: configuration.database)
            try Migrator(migrations: Schema.migrations).migrate(database)
            if let output {
                do { file = try LineFile(path: output) } catch { throw ValidationError("cannot write \(output)") }
                if format == .csv { try file?.append { $0.append(contentsOf: BillingLine.csvHeader.utf8) } }
            }
            let runner = BillingRunner(database: database, catalogue: catalogue) { orphan in
                CommandFailure.report("\(orphan)")
            }
            let summary = try runner.run(year: year, dryRun: dryRun, principal: .commandLine) { item in
                try file?.append { out in
                    if format == .csv {
                        out.append(contentsOf: item.line.csvRow(adjustment: item.adjustment).utf8)
                    } else {
                        item.line.json(adjustment: item.adjustment).write(to: &out)
                        out.append(UInt8(ascii: "\n"))
                    }
                }
            }
            try file?.close()
            let money = String(format: "%.2f", Double(summary.totalMinor) / 100)
            print("\(dryRun ? "dry run" : "billing run \(summary.id)") for \(year): \(summary.lineCount) lines, total \(money) \(summary.currency)")
        } catch {
            try? file?.close()
            // A partial file must not be mistaken for a run's lines.
            if let output, file != nil { try? FileManager.default.removeItem(atPath: output) }
            CommandFailure.report("billing for \(year) failed: \(error)")
            throw ExitCode.failure
        }
    }
}
