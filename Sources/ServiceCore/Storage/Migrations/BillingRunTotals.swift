/// Migration 21: a completed run's totals per customer, stored with it
/// (`RunTotals`), so presenting a run reads a row per customer, not every
/// line. Runs completed before are summed from their lines once, here.
enum BillingRunTotals {
    static let migration = Migration(version: 21, name: "billing run totals per customer", sql: """
        CREATE TABLE billing_run_totals (
            run_id TEXT NOT NULL REFERENCES billing_runs(id),
            customer_id TEXT NOT NULL,
            dealer_id TEXT NOT NULL,
            total_minor INTEGER NOT NULL,
            line_count INTEGER NOT NULL,
            PRIMARY KEY (run_id, customer_id)
        ) STRICT, WITHOUT ROWID;
        CREATE INDEX billing_run_totals_by_dealer ON billing_run_totals (run_id, dealer_id, customer_id);
        INSERT INTO billing_run_totals (run_id, customer_id, dealer_id, total_minor, line_count)
            SELECT l.run_id, l.customer_id, min(l.dealer_id), sum(l.amount_minor), count(*)
            FROM billing_lines l JOIN billing_runs r ON r.id = l.run_id
            WHERE r.status = 'completed'
            GROUP BY l.run_id, l.customer_id;
        """)
}
