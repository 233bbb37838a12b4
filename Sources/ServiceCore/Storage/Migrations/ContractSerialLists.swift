/// Migration 29: each contract's device serials also kept as one text, the
/// serials joined by the unit separator (not in a serial's alphabet,
/// `DeviceSerial`). A page of contracts read a row of `contract_devices` per
/// device: the large customer's contract alone is 2 000 rows, each stepped,
/// its contract compared and its columns read, half of the large dealer's
/// first contract page. One row per contract is read instead.
///
/// Kept by triggers, like `contracts_by_dealer`, so every way a device is
/// written keeps it, raw SQL included: an insert appends its serial unless
/// the list has it already (an INSERT OR REPLACE of a pair already there
/// runs no delete trigger, only the insert one); a delete or an update
/// (rare: no operation does either today) joins the contract's serials
/// again. The list is in insertion order, and so in byte order when the
/// serials were inserted sorted (`ContractStore.create` does);
/// `ContractStore` sorts whatever is not.
enum ContractSerialLists {
    static let migration = Migration(version: 29, name: "contracts' serials as one text", sql: """
        CREATE TABLE contract_serial_lists (
            contract_id TEXT NOT NULL PRIMARY KEY REFERENCES contracts(id),
            serials TEXT NOT NULL
        ) STRICT, WITHOUT ROWID;
        INSERT INTO contract_serial_lists (contract_id, serials)
            SELECT contract_id, group_concat(device_serial, char(31)) FROM contract_devices GROUP BY contract_id;
        CREATE TRIGGER contract_serial_lists_insert AFTER INSERT ON contract_devices BEGIN
            INSERT INTO contract_serial_lists (contract_id, serials) VALUES (NEW.contract_id, NEW.device_serial)
                ON CONFLICT (contract_id) DO UPDATE SET serials = serials || char(31) || excluded.serials
                WHERE instr(char(31) || serials || char(31), char(31) || excluded.serials || char(31)) = 0;
        END;
        CREATE TRIGGER contract_serial_lists_delete AFTER DELETE ON contract_devices BEGIN
            \(rejoin("OLD"))
        END;
        CREATE TRIGGER contract_serial_lists_update AFTER UPDATE ON contract_devices BEGIN
            \(rejoin("OLD"))
            \(rejoin("NEW"))
        END;
        """)

    /// The statements that join a contract's serials again from `contract_devices`.
    private static func rejoin(_ row: String) -> String {
        """
        DELETE FROM contract_serial_lists WHERE contract_id = \(row).contract_id;
            INSERT INTO contract_serial_lists (contract_id, serials)
                SELECT contract_id, group_concat(device_serial, char(31)) FROM contract_devices
                WHERE contract_id = \(row).contract_id GROUP BY contract_id;
        """
    }
}
