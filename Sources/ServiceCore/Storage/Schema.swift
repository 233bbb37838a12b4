/// The application's schema, as the ordered list of its migrations.
public enum Schema {
    public static let migrations: [Migration] = [
        Migration(version: 1, name: "migration history", sql: """
            CREATE TABLE schema_migrations (
                version INTEGER PRIMARY KEY,
                name TEXT NOT NULL,
                applied_at TEXT NOT NULL
            ) STRICT;
            """),
    ]
}
