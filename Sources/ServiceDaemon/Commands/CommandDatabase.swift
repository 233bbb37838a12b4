import ArgumentParser
import ServiceCore
import ServiceHTTP

/// The database as a command opens it. Only `serve` and `migrate` set a
/// database up; every other command needs an existing one, so that a cron
/// job run from the wrong directory fails instead of working on an empty
/// database it just made.
enum CommandDatabase {
    static func open(_ configuration: DaemonConfiguration, creating: Bool) throws -> DatabasePool {
        var settings = configuration.database
        settings.createIfMissing = creating
        return try DatabasePool(configuration: settings)
    }

    /// Opened and migrated, for the commands that work on an existing database.
    static func openExisting(_ configuration: DaemonConfiguration) throws -> DatabasePool {
        let database = try open(configuration, creating: false)
        try Migrator(migrations: Schema.migrations).migrate(database)
        return database
    }
}

extension CommandFailure {
    /// Reports `error` on one line and gives the exit status: 78 (EX_CONFIG)
    /// for a database path that cannot be one and for a catalogue that would
    /// re-price a billed year, 1 for everything else, a
    /// missing database included.
    static func exit(_ error: any Error, _ context: String? = nil) -> ExitCode {
        if let exit = error as? ExitCode { return exit }
        let message = (error as? ValidationError)?.message ?? "\(error)"
        report(context.map { "\($0): \(message)" } ?? message)
        if let problem = error as? DatabaseFile.Problem, case .missing = problem { return .failure }
        if error is DatabaseFile.Problem || error is CatalogueLocation.NotFound || error is TLSError || error is BilledPrices.Changed { return ExitCode(78) }
        return .failure
    }
}
