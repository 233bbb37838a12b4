#include <sqlite3.h>

/// sqlite3_config is variadic, which Swift cannot call.
/// Memory statistics take a global mutex on every allocation; nothing here
/// reads them. Must run before SQLite initialises; returns SQLITE_MISUSE after.
static inline int csqlite_disable_memory_statistics(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}
