/// Executes a migration plan: registrations move with their history on both
/// sides, the old account closes.
public enum CPSMigration {
    public struct Outcome: Sendable {
        public let source: CPSMember
        public let moved: [Registration]
        /// False when the same move was asked for again and nothing changed.
        public let changed: Bool
    }

    public static func migrate(_ connection: Connection, into target: CPSMember, fromEmail email: String, today: LocalDate) throws -> Outcome {
        let source = try CPSMemberStore.find(connection, email: email)
        let kitbag = try source.map { try CPSRegistrationStore.all(connection, memberID: $0.id) } ?? []
        let plan: MigrationPlan
        do {
            plan = try MigrationPlan.plan(target: target, source: source, kitbag: kitbag, today: today) { Identifier.make("reg") }
        } catch .unknownEmail {
            throw CPSFailure.notFound(kind: "CPS account with e-mail", id: email)
        } catch .alreadyMigrated {
            throw CPSFailure.conflict("that account's products were already migrated to another account")
        } catch .invalid(let field, let message) {
            throw CPSFailure.invalid(field, message)
        }
        switch plan {
        case .alreadyDone(let source):
            let moved = try CPSRegistrationStore.all(connection, memberID: target.id).filter { $0.startReason == .migratedIn }
            return Outcome(source: source, moved: moved, changed: false)
        case .move(var source, let ended, let added):
            for registration in ended { _ = try CPSRegistrationStore.save(connection, registration) }
            for registration in added { try CPSRegistrationStore.insert(connection, registration) }
            source.closedOn = today
            source.migratedTo = target.id
            return Outcome(source: try CPSMemberStore.save(connection, source), moved: added, changed: true)
        }
    }
}
