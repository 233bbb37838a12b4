import ServiceJSON

/// Migration 17: security activation read again from the seed ("Kan
/// nedgraderes"): it is included in every implementation package and a
/// contract may remove it, where it used to be an option to buy. Contracts
/// gain `downgrades`; a contract that had bought the option keeps the service
/// (it leaves `options`), one that had not gets it as a downgrade, so no
/// device receives a service its contract did not agree to.
enum SecurityActivationDowngrades {
    static let service = "security_activation"

    static let migration = Migration(version: 17, name: "contract downgrades (security activation included)") { connection in
        try connection.execute("ALTER TABLE contracts ADD COLUMN downgrades TEXT NOT NULL DEFAULT '[]'")
        for row in try connection.fetchAll("SELECT id, options FROM contracts") {
            let (options, downgrades) = converted(try row.get(1, as: String.self))
            try connection.execute(
                "UPDATE contracts SET options = ?, downgrades = ? WHERE id = ?",
                [encode(options), encode(downgrades), try row.get(0, as: String.self)]
            )
        }
    }

    /// A contract's stored options, as its options and downgrades after the change.
    static func converted(_ storedOptions: String) -> (options: [String], downgrades: [String]) {
        var options: [String] = []
        if case .array(let items)? = try? JSONParser.parse(storedOptions) {
            options = items.compactMap { if case .string(let text) = $0 { return text } else { return nil } }
        }
        let kept = options.contains(service)
        return (options.filter { $0 != service }, kept ? [] : [service])
    }

    private static func encode(_ list: [String]) -> String { JSONValue.array(list.map(JSONValue.string)).encoded() }
}
