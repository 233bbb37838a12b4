public enum IPFTechnicianStore {
    public static func create(_ connection: Connection, dealerID: String, name: String,
                              certifications: [(ProductLineID, LocalDate)], requirements: AuthorisationRequirements) throws -> IPFTechnician {
        let id = Identifier.make("tec")
        let now = Timestamp.now()
        try connection.execute(
            "INSERT INTO ipf_technicians (id, dealer_id, name, version, created_at, updated_at) VALUES (?, ?, ?, 1, ?, ?)",
            [id, dealerID, name, now, now]
        )
        for (line, date) in certifications {
            try certify(connection, Authorisation.Certification(technicianID: id, line: line, certifiedOn: date, requirements: requirements))
        }
        return try find(connection, id: id, scope: nil)!
    }

    /// Records a certification; the same line and date again is kept once.
    public static func certify(_ connection: Connection, _ certification: Authorisation.Certification) throws {
        try connection.execute(
            """
            INSERT INTO ipf_certifications (technician_id, product_line, certified_on, expires_on, recorded_at) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT DO NOTHING
            """,
            [certification.technicianID, certification.line.rawValue, certification.certifiedOn.description,
             certification.expiresOn.description, Timestamp.now()]
        )
        try connection.execute("UPDATE ipf_technicians SET version = version + 1, updated_at = ? WHERE id = ?",
                               [Timestamp.now(), certification.technicianID])
    }

    public static func find(_ connection: Connection, id: String, scope: String?) throws -> IPFTechnician? {
        guard let row = try connection.fetchOne("SELECT \(columns) FROM ipf_technicians WHERE id = ?1 AND (?2 IS NULL OR dealer_id = ?2)", [id, scope]) else {
            return nil
        }
        return try technicians(connection, [row]).first
    }

    public static func list(_ connection: Connection, scope: String?, dealerID: String?, page: PageRequest) throws -> Page<IPFTechnician> {
        let rows = try connection.fetchAll(
            "SELECT \(columns) FROM ipf_technicians WHERE id > ?1 AND (?2 IS NULL OR dealer_id = ?2) AND (?3 IS NULL OR dealer_id = ?3) ORDER BY id LIMIT ?4",
            [page.after ?? "", scope, dealerID, page.limit + 1]
        )
        return try Page.assembling(rows: rows, limit: page.limit) { try technicians(connection, $0) }
    }

    private static let columns = "id, dealer_id, name, version, created_at"

    /// Technicians from their rows, with the certifications of all of them read in one query.
    private static func technicians(_ connection: Connection, _ rows: [Row]) throws -> [IPFTechnician] {
        let technicians = try rows.map(technician)
        let certifications = try ChildRows.grouped(
            connection,
            """
            SELECT technician_id, product_line, certified_on, expires_on FROM ipf_certifications
            WHERE technician_id IN \(ChildRows.keys) ORDER BY technician_id, certified_on, product_line
            """,
            keys: technicians.map(\.id), certification
        )
        return ChildRows.attach(certifications, to: technicians, by: \.id, at: \.certifications)
    }

    /// Every certification held by the dealer's technicians.
    public static func certifications(_ connection: Connection, dealerID: String) throws -> [Authorisation.Certification] {
        try connection.fetchAll(
            """
            SELECT c.technician_id, c.product_line, c.certified_on, c.expires_on FROM ipf_certifications c
            JOIN ipf_technicians t ON t.id = c.technician_id WHERE t.dealer_id = ? ORDER BY c.certified_on
            """,
            [dealerID]
        ).map(certification)
    }

    private static func technician(_ row: Row) throws -> IPFTechnician {
        IPFTechnician(id: try row.get(0), dealerID: try row.get(1), name: try row.get(2), certifications: [], version: try row.get(3),
                      createdAt: try row.get(4))
    }

    static func certification(_ row: Row) throws -> Authorisation.Certification {
        guard let line = ProductLineID(rawValue: try row.get(1)), let from = LocalDate(try row.get(2)), let to = LocalDate(try row.get(3)) else {
            throw RowDecodingError(column: "ipf_certifications", expected: "product line and dates", found: row[1])
        }
        return Authorisation.Certification(technicianID: try row.get(0), line: line, certifiedOn: from, expiresOn: to)
    }
}
