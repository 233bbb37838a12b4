#include <sqlite3.h>

/// sqlite3_config is variadic, which Swift cannot call.
/// Memory statistics take a global mutex on every allocation; nothing here
/// reads them. Must run before SQLite initialises; returns SQLITE_MISUSE after.
static inline int csqlite_disable_memory_statistics(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

/// sqlite3_db_config is variadic too. Sizes a connection's lookaside: the
/// per-connection slots SQLite takes its small, short-lived allocations from
/// instead of malloc. Only right after open, while no lookaside is in use.
static inline int csqlite_set_lookaside(sqlite3 *db, int slotSize, int slotCount) {
    return sqlite3_db_config(db, SQLITE_DBCONFIG_LOOKASIDE, (void *)0, slotSize, slotCount);
}
