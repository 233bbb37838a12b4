import ArgumentParser
import Foundation
import ServiceCore

/// Builds the scale estate (`ScaleEstate`) in a new database, for
/// `scripts/seed-scale.sh` and the benchmarks; hidden from `--help`, as no
/// operator needs it.
struct SeedScaleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed-scale",
        abstract: "Build a reproducible national estate in a new database (benchmarks).",
        shouldDisplay: false
    )

    @Option(help: "Size against the national estate (1 = 200 000 devices, 12 million readings), 0.0001 to 10.")
    var factor: Double = 0.1

    @OptionGroup var catalogue: CatalogueOption
    @OptionGroup var shared: SharedOptions

    func validate() throws {
        guard (0.0001...10).contains(factor) else { throw ValidationError("--factor must be between 0.0001 and 10") }
    }

    func run() throws {
        var configuration = try shared.resolve(extraFlags: catalogue.flags)
        let path = absolutePath(configuration.databasePath)
        guard !FileManager.default.fileExists(atPath: path) else {
            throw CommandFailure.exit(ValidationError("\(path) exists; the estate is seeded into a new database only"))
        }
        // A bulk load into a new file: a crash means seeding again, so no fsync per commit.
        configuration.synchronous = .off
        do {
            let catalogue = try CatalogueLoader.load(path: try CatalogueLocation.resolve(configuration.cataloguePath))
            let database = try CommandDatabase.open(configuration, creating: true)
            try Migrator(migrations: Schema.migrations).migrate(database)
            let estate = ScaleEstate(factor: factor, catalogue: catalogue)
            let started = Date()
            let counts = try estate.seed(into: database) { phase, seconds in
                FileHandle.standardError.write(Data(String(format: "%@: %.1f s\n", phase, seconds).utf8))
            }
            try database.checkpoint()
            let seconds = Date().timeIntervalSince(started)
            let bytes = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            print("seeded factor \(factor): \(counts.dealers) dealers, \(counts.customers) customers, \(counts.devices) devices, "
                + "\(counts.contracts) contracts, \(counts.readings) meter readings, \(counts.serviceRequests) service requests "
                + "(\(counts.events) events), \(counts.consumableOrders) consumable orders, \(counts.billingRuns) billing runs")
            print(String(format: "seconds %.1f, database %d bytes (%.1f MiB) at %@", seconds, bytes, Double(bytes) / 1_048_576, path))
            print("large dealer \(ScaleEstate.id("dlr", 0)), large customer \(ScaleEstate.id("cus", 0)) with \(estate.largeCustomerDevices) devices")
        } catch {
            throw CommandFailure.exit(error, "seeding failed")
        }
    }
}
