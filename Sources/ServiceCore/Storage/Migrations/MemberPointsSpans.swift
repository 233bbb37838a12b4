/// Migration 32: what each complete registration adds to its member's
/// points, kept on the member's row. `GET /cps/members/{id}` looked up the
/// member, its registrations, its invoices and its welcome pack: four
/// searches and about six pages, each a `pread` on an estate larger than
/// SQLite's cache. Now the member's row holds the spans, and says whether
/// there are invoices or a pack to look up at all (most members have none).
///
/// `points_spans` holds `product completed_on ended_on` for each complete
/// registration (`-` while it is still in the Kitbag), joined by `;`, in no
/// particular order: a total does not depend on it. `StoredPointsSpans`
/// reads it. Triggers keep the three columns in step with every write to the
/// tables they summarise, whichever code makes it. A later migration that
/// rebuilds one of those tables must create its triggers again.
enum MemberPointsSpans {
    /// The spans of the member row being updated, from its registrations.
    private static let spans = """
        (SELECT coalesce(group_concat(product_id || ' ' || completed_on || ' ' || coalesce(ended_on, '-'), ';'), '')
         FROM cps_registrations WHERE member_id = cps_members.id AND completed_on IS NOT NULL)
        """

    /// Sets `column` on the member a row of `table` is inserted for or moved
    /// to. Invoices and packs are never deleted, so it is never cleared.
    private static func flag(_ column: String, on table: String) -> String {
        [("insert", "INSERT"), ("moved", "UPDATE OF member_id")].map { name, event in
            """
            CREATE TRIGGER \(table)_\(column)_\(name) AFTER \(event) ON \(table) BEGIN
                UPDATE cps_members SET \(column) = 1 WHERE id = NEW.member_id;
            END;
            """
        }.joined(separator: "\n")
    }

    static let migration = Migration(version: 32, name: "CPS points spans on the member", sql: """
        ALTER TABLE cps_members ADD COLUMN points_spans TEXT NOT NULL DEFAULT '';
        ALTER TABLE cps_members ADD COLUMN has_invoices INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE cps_members ADD COLUMN has_welcome_pack INTEGER NOT NULL DEFAULT 0;
        UPDATE cps_members SET points_spans = \(spans),
            has_invoices = EXISTS (SELECT 1 FROM cps_invoices WHERE member_id = cps_members.id),
            has_welcome_pack = EXISTS (SELECT 1 FROM cps_welcome_packs WHERE member_id = cps_members.id);
        CREATE TRIGGER cps_points_spans_insert AFTER INSERT ON cps_registrations BEGIN
            UPDATE cps_members SET points_spans = \(spans) WHERE id = NEW.member_id;
        END;
        CREATE TRIGGER cps_points_spans_update AFTER UPDATE OF member_id, product_id, completed_on, ended_on ON cps_registrations BEGIN
            UPDATE cps_members SET points_spans = \(spans) WHERE id IN (OLD.member_id, NEW.member_id);
        END;
        CREATE TRIGGER cps_points_spans_delete AFTER DELETE ON cps_registrations BEGIN
            UPDATE cps_members SET points_spans = \(spans) WHERE id = OLD.member_id;
        END;
        \(flag("has_invoices", on: "cps_invoices"))
        \(flag("has_welcome_pack", on: "cps_welcome_packs"))
        """)
}
