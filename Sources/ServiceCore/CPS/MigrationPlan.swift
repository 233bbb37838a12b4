/// Moving the products of an old free account to a new business account
/// (seed 003: "if you gave your old e-mail address ... you can migrate the
/// products already registered"). Every Kitbag product of the old account
/// leaves it (`migrated_out`) and enters the new one (`migrated_in`), keeping
/// its details; the old account closes. Asking again for the same move is
/// answered with what was done.
public enum MigrationPlan: Equatable, Sendable {
    /// Move these registrations (the old ones ended, the new ones added) and close the source.
    case move(source: CPSMember, ended: [Registration], added: [Registration])
    /// The source already moved into this target: nothing to do.
    case alreadyDone(source: CPSMember)

    public enum Refusal: Error, Equatable, CustomStringConvertible {
        /// 404: no free account with that e-mail.
        case unknownEmail
        /// 409: the account was already migrated (to another account).
        case alreadyMigrated
        /// 422: an account cannot migrate into itself, and a closed account receives nothing.
        case invalid(field: String, message: String)

        public var description: String {
            switch self {
            case .unknownEmail: return "no free CPS account has that e-mail"
            case .alreadyMigrated: return "that account's products were already migrated"
            case .invalid(_, let message): return message
            }
        }
    }

    /// `source` is the account found by e-mail (open or closed), `kitbag` its registrations.
    public static func plan(target: CPSMember, source: CPSMember?, kitbag: [Registration], today: LocalDate,
                            newID: () -> String) throws(Refusal) -> MigrationPlan {
        guard target.closedOn == nil else { throw .invalid(field: "id", message: "a closed account cannot receive products") }
        guard let source, source.programme == .free else { throw .unknownEmail }
        guard source.id != target.id else { throw .invalid(field: "from_email", message: "is this account's own e-mail") }
        if let movedTo = source.migratedTo {
            if movedTo == target.id { return .alreadyDone(source: source) }
            throw .alreadyMigrated
        }
        var ended: [Registration] = []
        var added: [Registration] = []
        for registration in kitbag where registration.endedOn == nil {
            var old = registration
            old.endedOn = today
            old.endReason = .migratedOut
            ended.append(old)
            added.append(Registration(
                id: newID(), memberID: target.id, productID: registration.productID, details: registration.details, addedOn: today,
                startReason: .migratedIn, completedOn: registration.details.isComplete ? today : nil
            ))
        }
        return .move(source: source, ended: ended, added: added)
    }
}
