import ArgumentParser
import Foundation
import ServiceCore

/// API key administration from the command line, for bootstrapping the
/// first admin key and for scripts: `keys create` prints the key alone.
struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Create, list and revoke API keys.",
        subcommands: [Create.self, List.self, Revoke.self]
    )

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a key and print it alone on stdout (it is not stored and cannot be shown again).")

        @Option(help: "admin, billing or dealer.")
        var role: String

        @Option(help: "The dealer a dealer key is bound to.")
        var dealer: String?

        @OptionGroup var shared: SharedOptions

        func run() throws {
            guard let role = Principal.Role(rawValue: role) else {
                CommandFailure.report("--role must be admin, billing or dealer")
                throw ExitCode(64)
            }
            guard (role == .dealer) == (dealer != nil) else {
                CommandFailure.report(role == .dealer ? "a dealer key needs --dealer ID" : "--dealer is only for dealer keys")
                throw ExitCode(64)
            }
            let key = try KeysCommand.withDatabase(shared) { database in
                try database.write { connection -> String in
                    if let dealer, try DealerStore.find(connection, id: dealer) == nil {
                        throw ValidationError("no dealer \(dealer)")
                    }
                    let (record, key) = try APIKeyStore.create(connection, role: role, dealerID: dealer)
                    try AuditStore.record(connection, principal: .commandLine, action: "api_key.create", resourceType: "api_key",
                                          resourceID: record.id, dealerID: dealer, detail: .object([("role", .string(role.rawValue))]))
                    return key
                }
            }
            print(key)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List keys (id, role, dealer, created, revoked); never the keys themselves.")

        @OptionGroup var shared: SharedOptions

        func run() throws {
            let records = try KeysCommand.withDatabase(shared) { database in try database.read { try APIKeyStore.list($0) } }
            print(["id", "role", "dealer", "created", "revoked"].joined(separator: "\t"))
            for record in records {
                print([record.id, record.role.rawValue, record.dealerID ?? "-", record.createdAt, record.revokedAt ?? "active"].joined(separator: "\t"))
            }
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a key by id.")

        @Argument(help: "The key's id (key_...).")
        var id: String

        @OptionGroup var shared: SharedOptions

        func run() throws {
            let revoked = try KeysCommand.withDatabase(shared) { database in
                try database.write { connection -> Bool in
                    let revoked = try APIKeyStore.revoke(connection, id: id)
                    if revoked {
                        try AuditStore.record(connection, principal: .commandLine, action: "api_key.revoke", resourceType: "api_key",
                                              resourceID: id, dealerID: nil)
                    }
                    return revoked
                }
            }
            guard revoked else {
                CommandFailure.report("no active key \(id)")
                throw ExitCode.failure
            }
            print("revoked \(id)")
        }
    }

    /// Opens and migrates the existing database, reporting failures as an operator would want them.
    static func withDatabase<T>(_ shared: SharedOptions, _ body: (DatabasePool) throws -> T) throws -> T {
        let configuration = try shared.resolve()
        do {
            return try body(try CommandDatabase.openExisting(configuration))
        } catch {
            throw CommandFailure.exit(error)
        }
    }
}
