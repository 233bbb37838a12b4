/// Requesting and sending welcome packs.
public enum CPSWelcomePacks {
    public static func request(_ connection: Connection, _ record: CPSMemberRecord, address: WelcomePack.Address, today: LocalDate,
                               rules: CPSRules) throws -> WelcomePack {
        let standing = record.standing(on: today, rules: rules)
        do {
            try WelcomePack.check(member: record.member, standing: standing, existing: record.welcomePack)
        } catch .alreadyRequested(let id) {
            throw CPSFailure.conflict("a welcome pack was already requested for this member; one per member ever",
                                      extensions: ["welcome_pack_id": id])
        } catch .notEligible(let why) {
            // Eligibility follows the member's programme and points: a state, so 409.
            throw CPSFailure.conflict(why)
        }
        guard record.member.closedOn == nil else { throw CPSFailure.conflict("the account is closed") }
        let pack = WelcomePack(id: Identifier.make("wpk"), memberID: record.member.id, levelAtRequest: standing.level ?? .red,
                               address: address, requestedOn: today)
        try CPSWelcomePackStore.insert(connection, pack)
        return pack
    }

    public static func markSent(_ connection: Connection, id: String, on day: LocalDate, today: LocalDate) throws -> WelcomePack {
        guard let pack = try CPSWelcomePackStore.find(connection, id: id) else { throw CPSFailure.notFound(kind: "welcome pack", id: id) }
        guard pack.sentOn == nil else { throw CPSFailure.conflict("the welcome pack was already sent on \(pack.sentOn!)") }
        if day > today { throw CPSFailure.invalid("sent_on", "must not be in the future") }
        if day < pack.requestedOn { throw CPSFailure.invalid("sent_on", "must not be before the request (\(pack.requestedOn))") }
        return try CPSWelcomePackStore.markSent(connection, pack, on: day)
    }
}
