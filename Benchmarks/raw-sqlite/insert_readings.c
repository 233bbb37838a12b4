/* Raw SQLite baseline for meter-reading ingestion: the same table, the same
 * rows, the same durability (WAL, synchronous=FULL) and the same batching as
 * scripts/bench-readings.sh, from C with one prepared statement.
 * Usage: insert_readings DB DEVICES READINGS_PER_DEVICE BATCH */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static void check(int rc, sqlite3 *db, const char *what) {
    if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
        fprintf(stderr, "%s: %s\n", what, sqlite3_errmsg(db));
        exit(1);
    }
}

int main(int argc, char **argv) {
    if (argc != 5) { fprintf(stderr, "usage: %s DB DEVICES PER_DEVICE BATCH\n", argv[0]); return 2; }
    int devices = atoi(argv[2]), per = atoi(argv[3]), batch = atoi(argv[4]);
    sqlite3 *db;
    check(sqlite3_open(argv[1], &db), db, "open");
    check(sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
        "CREATE TABLE meter_readings (device_serial TEXT NOT NULL, read_at INTEGER NOT NULL,"
        " bw_a4 INTEGER NOT NULL, bw_a3 INTEGER NOT NULL, colour_a4 INTEGER NOT NULL, colour_a3 INTEGER NOT NULL,"
        " banner_bw INTEGER NOT NULL, banner_colour INTEGER NOT NULL, source TEXT NOT NULL, counter_reset INTEGER NOT NULL,"
        " received_at INTEGER NOT NULL, PRIMARY KEY (device_serial, read_at)) STRICT, WITHOUT ROWID;", 0, 0, 0), db, "schema");
    sqlite3_stmt *insert;
    check(sqlite3_prepare_v2(db, "INSERT INTO meter_readings VALUES (?,?,?,?,?,?,?,?,?,?,?)", -1, &insert, 0), db, "prepare");
    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    long total = (long)devices * per, done = 0;
    char serial[32];
    /* Rows in the order the HTTP benchmark sends them: round by round, each device once per round. */
    for (int round = 0; round < per; round++) {
        for (int d = 0; d < devices; d++) {
            if (done % batch == 0) check(sqlite3_exec(db, "BEGIN IMMEDIATE", 0, 0, 0), db, "begin");
            snprintf(serial, sizeof serial, "BENCH-%05d", d);
            long long at = 1767225600000LL + (long long)round * 3600000LL;
            sqlite3_bind_text(insert, 1, serial, -1, SQLITE_TRANSIENT);
            sqlite3_bind_int64(insert, 2, at);
            for (int c = 0; c < 6; c++) sqlite3_bind_int64(insert, 3 + c, (long long)(round + 1) * (c + 1) * 10);
            sqlite3_bind_text(insert, 9, "dms", -1, SQLITE_STATIC);
            sqlite3_bind_int(insert, 10, 0);
            sqlite3_bind_int64(insert, 11, at);
            check(sqlite3_step(insert), db, "step");
            sqlite3_reset(insert);
            done++;
            if (done % batch == 0 || done == total) check(sqlite3_exec(db, "COMMIT", 0, 0, 0), db, "commit");
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &end);
    double seconds = (end.tv_sec - start.tv_sec) + (end.tv_nsec - start.tv_nsec) / 1e9;
    printf("%ld rows in %.3f s: %.0f rows/s\n", total, seconds, total / seconds);
    sqlite3_finalize(insert);
    sqlite3_close(db);
    return 0;
}
