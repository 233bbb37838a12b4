import Foundation
import ServiceJSON

/// Completed billing runs and their lines, read through a dealer scope:
/// a dealer sees only its customers' lines and totals.
public enum BillingRunStore {
    public struct StoredLine: Sendable {
        public let id: Int
        public let line: BillingLine
        public let adjustment: Bool
    }

    public static func runs(_ connection: Connection, page: PageRequest, year: Int?) throws -> Page<BillingRunner.Summary> {
        let rows = try connection.fetchAll(
            """
            SELECT id, year, created_at, currency, total_minor, line_count FROM billing_runs
            WHERE status = 'completed' AND id > ?1 AND (?2 IS NULL OR year = ?2) ORDER BY id LIMIT ?3
            """,
            [page.after ?? "", year, page.limit + 1]
        ).map(summary)
        return Page(rows: rows, limit: page.limit) { $0.id }
    }

    public static func run(_ connection: Connection, id: String) throws -> BillingRunner.Summary? {
        try connection.fetchOne(
            "SELECT id, year, created_at, currency, total_minor, line_count FROM billing_runs WHERE id = ? AND status = 'completed'", [id]
        ).map(summary)
    }

    /// The latest completed run, whichever process made it (the daemon or
    /// the cron CLI): when it ran and how many lines it stored.
    public static func lastCompleted(_ connection: Connection) throws -> (started: Date, completed: Date, lines: Int)? {
        guard let row = try connection.fetchOne(
            "SELECT created_at, completed_at, line_count FROM billing_runs WHERE status = 'completed' ORDER BY completed_at DESC LIMIT 1"
        ), let started = RFC3339.parse(try row.get(0)), let completed = RFC3339.parse(try row.get(1)) else { return nil }
        return (started, completed, try row.get(2))
    }

    /// A run's figures within the scope: its customers with lines, their
    /// total and their lines, from its totals per dealer (one row per dealer
    /// with lines, at most the dealers of the network; one row for a dealer's key).
    public static func scopedTotals(_ connection: Connection, run: BillingRunner.Summary, scope: String?) throws -> ScopedTotals {
        guard let scope else {
            let customers = try connection.fetchScalar(
                "SELECT coalesce(sum(customer_count), 0) FROM billing_run_dealer_totals WHERE run_id = ?", [run.id], as: Int.self)
            return ScopedTotals(customers: customers, totalMinor: run.totalMinor, lines: run.lineCount)
        }
        let row = try connection.fetchOne(
            "SELECT customer_count, total_minor, line_count FROM billing_run_dealer_totals WHERE run_id = ? AND dealer_id = ?", [run.id, scope])
        return try row.map { ScopedTotals(customers: try $0.get(0), totalMinor: try $0.get(1), lines: try $0.get(2)) }
            ?? ScopedTotals(customers: 0, totalMinor: 0, lines: 0)
    }

    public struct ScopedTotals: Sendable, Equatable {
        public let customers: Int
        public let totalMinor: Int
        public let lines: Int
    }

    /// A page of a run's totals per customer within the scope, in customer id
    /// order, read in one statement from the run's rows (a dealer's from
    /// `billing_run_totals_by_dealer`): a national run's 50 000 customers are
    /// paged, never one document.
    public static func customerTotals(_ connection: Connection, runID: String, scope: String?, page: PageRequest) throws -> Page<RunTotals.Customer> {
        // A dealer's page walks its own rows (`INDEXED BY`): SQLite otherwise walks
        // the run's customers in id order, every dealer's, until the page is full.
        let rowsOf = scope == nil ? "billing_run_totals WHERE run_id = ?1 AND ?2 IS NULL"
            : "billing_run_totals INDEXED BY billing_run_totals_by_dealer WHERE run_id = ?1 AND dealer_id = ?2"
        let rows = try connection.fetchAll(
            """
            SELECT customer_id, dealer_id, total_minor, line_count FROM \(rowsOf)
            AND customer_id > ?3 ORDER BY customer_id LIMIT ?4
            """,
            [runID, scope, page.after ?? "", page.limit + 1]
        ).map { row in
            RunTotals.Customer(customerID: try row.get(0), dealerID: try row.get(1), totalMinor: try row.get(2), lineCount: try row.get(3))
        }
        return Page(rows: rows, limit: page.limit) { $0.customerID }
    }

    /// A dealer's total and line count in each of a page's runs, in one
    /// query; a run with none of its customers' lines is absent.
    public static func dealerTotals(_ connection: Connection, runIDs: [String], dealerID: String) throws -> [String: (total: Int, lines: Int)] {
        guard !runIDs.isEmpty else { return [:] }
        var out: [String: (total: Int, lines: Int)] = [:]
        for row in try connection.fetchAll(
            """
            SELECT run_id, total_minor, line_count FROM billing_run_dealer_totals
            WHERE run_id IN \(ChildRows.keys) AND dealer_id = ?2
            """,
            [JSONValue.array(runIDs.map(JSONValue.string)).encoded(), dealerID]
        ) {
            out[try row.get(0)] = (try row.get(1), try row.get(2))
        }
        return out
    }

    /// Stored in the transaction that completes the run: per customer, then per dealer.
    static func record(_ connection: Connection, runID: String, _ customers: [RunTotals.Customer]) throws {
        let statement = try connection.cachedStatement(
            "INSERT INTO billing_run_totals (run_id, customer_id, dealer_id, total_minor, line_count) VALUES (?, ?, ?, ?, ?)")
        for customer in customers {
            try statement.bind(runID, at: 1)
            try statement.bind(customer.customerID, at: 2)
            try statement.bind(customer.dealerID, at: 3)
            try statement.bind(Int64(customer.totalMinor), at: 4)
            try statement.bind(Int64(customer.lineCount), at: 5)
            try statement.run()
        }
        try connection.execute(
            """
            INSERT INTO billing_run_dealer_totals (run_id, dealer_id, customer_count, total_minor, line_count)
            SELECT run_id, dealer_id, count(*), sum(total_minor), sum(line_count) FROM billing_run_totals WHERE run_id = ? GROUP BY dealer_id
            """,
            [runID])
    }

    private static let lineColumns = """
        id, device_serial, customer_id, dealer_id, kind, channel, adjustment, quantity, unit_price_minor, amount_minor, currency, explanation
        """

    public static func lines(_ connection: Connection, runID: String, scope: String?, afterID: Int, limit: Int) throws -> [StoredLine] {
        // A dealer's lines from `billing_lines_by_run_dealer`, in id order: `?2 IS NULL OR dealer_id = ?2`
        // cannot use it, and walked every dealer's lines of the run until the page was full.
        let byDealer = scope == nil ? "?2 IS NULL" : "dealer_id = ?2"
        return try connection.fetchAll(
            "SELECT \(lineColumns) FROM billing_lines WHERE run_id = ?1 AND \(byDealer) AND id > ?3 ORDER BY id LIMIT ?4",
            [runID, scope, afterID, limit]
        ).map(line)
    }

    static func line(_ row: Row) throws -> StoredLine {
        let channel: String = try row.get(5)
        // A kind or explanation this build cannot read is an error, never relabelled.
        guard let kind = BillingLine.Kind(rawValue: try row.get(4)) else {
            throw RowDecodingError(column: "kind", index: 4, expected: "a billing line kind", found: row[4])
        }
        return StoredLine(id: try row.get(0), line: BillingLine(
            kind: kind, deviceSerial: try row.get(1), customerID: try row.get(2),
            dealerID: try row.get(3), channel: channel.isEmpty ? nil : channel, quantity: try row.get(7), unitPriceMinor: try row.get(8),
            amountMinor: try row.get(9), currency: try row.get(10), explanation: try row.storedJSONObject(11)
        ), adjustment: try row.get(6))
    }

    private static func summary(_ row: Row) throws -> BillingRunner.Summary {
        BillingRunner.Summary(id: try row.get(0), year: try row.get(1), dryRun: false, status: "completed", createdAt: try row.get(2),
                              totalMinor: try row.get(4), currency: try row.get(3), lineCount: try row.get(5))
    }
}

extension BillingLine {
    /// The line as the API and the CLI show it.
    public func json(adjustment: Bool, id: Int? = nil) -> JSONValue { .written { write(to: &$0, adjustment: adjustment, id: id) } }

    public func write(to json: inout JSONWriter, adjustment: Bool, id: Int? = nil) {
        json.object { json in
            if let id { json.member("id", id) }
            json.member("kind", kind.rawValue)
            json.member("device_serial", deviceSerial)
            json.member("customer_id", customerID)
            json.member("dealer_id", dealerID)
            json.member("channel", kind == .toner_excess ? channel : nil)
            json.member("service_request_id", kind == .service_hours ? channel : nil)
            json.member("adjustment", adjustment)
            json.member("quantity", quantity)
            json.member("unit", kind.unit)
            json.member("unit_price_minor", unitPriceMinor)
            json.member("price_unit", kind.priceUnit)
            json.member("amount_minor", amountMinor)
            json.member("currency", currency)
            json.member("explanation", explanation)
        }
    }

    public static let csvHeader = "kind,device_serial,customer_id,dealer_id,channel,adjustment,quantity,unit,unit_price_minor,price_unit,amount_minor,currency,explanation\r\n"

    public func csvRow(adjustment: Bool) -> String {
        [kind.rawValue, CSV.field(deviceSerial), customerID, dealerID, CSV.field(channel ?? ""), String(adjustment), String(quantity), kind.unit,
         String(unitPriceMinor), kind.priceUnit, String(amountMinor), currency, CSV.field(explanation.encoded())].joined(separator: ",") + "\r\n"
    }
}
