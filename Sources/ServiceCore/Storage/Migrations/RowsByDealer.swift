/// A dealer's rows of a table whose rows hold their customer, not their
/// dealer (contracts, devices), in key order: a dealer's page walks its own
/// rows. Finding them through the dealer's customers read and sorted all of
/// them on every page (3.5 ms of CPU for the large dealer's contract page
/// and 3.2 ms for its device page at factor 1, whatever the page).
///
/// Kept by triggers, so every way a row is written keeps it, raw SQL
/// included. A customer never changes dealer and no row changes customer,
/// so inserts and deletes are all there is to follow.
enum RowsByDealer {
    static func migration(version: Int, table: String, key: String, column: String) -> Migration {
        Migration(version: version, name: "\(table) by dealer", sql: """
            CREATE TABLE \(table)_by_dealer (
                dealer_id TEXT NOT NULL,
                \(column) TEXT NOT NULL,
                PRIMARY KEY (dealer_id, \(column))
            ) STRICT, WITHOUT ROWID;
            INSERT INTO \(table)_by_dealer (dealer_id, \(column))
                SELECT cu.dealer_id, t.\(key) FROM \(table) t JOIN customers cu ON cu.id = t.customer_id;
            CREATE TRIGGER \(table)_by_dealer_insert AFTER INSERT ON \(table) BEGIN
                INSERT INTO \(table)_by_dealer (dealer_id, \(column)) SELECT dealer_id, NEW.\(key) FROM customers WHERE id = NEW.customer_id;
            END;
            CREATE TRIGGER \(table)_by_dealer_delete AFTER DELETE ON \(table) BEGIN
                DELETE FROM \(table)_by_dealer WHERE \(column) = OLD.\(key);
            END;
            """)
    }
}
