import ArgumentParser
import Foundation
import ServiceCore

struct MigrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply pending schema migrations to the database and exit."
    )

    @OptionGroup var shared: SharedOptions

    func run() throws {
        let configuration = try shared.resolve()
        do {
            let database = try CommandDatabase.open(configuration, creating: true)
            let migrator = try Migrator(migrations: Schema.migrations)
            let applied = try migrator.migrate(database)
            let status = try database.read { try migrator.status($0) }
            print("schema version \(status.current) (\(applied.count) migration(s) applied) at \(database.configuration.path)")
        } catch {
            throw CommandFailure.exit(error)
        }
    }
}
