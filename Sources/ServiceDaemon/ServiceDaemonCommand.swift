import ArgumentParser

@main
struct ServiceDaemonCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "service-daemon",
        abstract: "Service-contract management daemon: REST API over a SQLite store.",
        discussion: """
            Settings come from, in increasing precedence: built-in defaults, a JSON config file \
            (--config or SERVICE_DAEMON_CONFIG), environment variables SERVICE_DAEMON_<KEY>, and flags.
            """,
        subcommands: [ServeCommand.self, MigrateCommand.self, KeysCommand.self, BillCommand.self, InvoiceCommand.self, BackupCommand.self, SeedScaleCommand.self]
    )
}
