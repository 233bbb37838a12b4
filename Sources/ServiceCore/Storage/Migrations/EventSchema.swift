/// The event outbox (`tables`); webhook endpoints with their delivery
/// position, the attempts made, and the mark a service request gets when
/// its response deadline passes unanswered (`webhooks`).
enum EventSchema {
    static let tables = """
        CREATE TABLE events (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            id TEXT NOT NULL UNIQUE,
            type TEXT NOT NULL,
            occurred_at TEXT NOT NULL,
            dealer_id TEXT REFERENCES dealers(id),
            resource_type TEXT NOT NULL,
            resource_id TEXT NOT NULL,
            data TEXT NOT NULL
        ) STRICT;
        CREATE INDEX events_by_dealer ON events (dealer_id, seq);
        """

    static let webhooks = """
        -- An endpoint receives its events in sequence order: delivered_through
        -- is the last one it acknowledged (or skipped, not matching its types);
        -- a failed attempt holds the next one back until next_attempt_ms.
        CREATE TABLE webhook_endpoints (
            id TEXT PRIMARY KEY,
            dealer_id TEXT REFERENCES dealers(id),
            url TEXT NOT NULL,
            event_types TEXT NOT NULL,
            description TEXT,
            secret TEXT NOT NULL,
            state TEXT NOT NULL CHECK (state IN ('active', 'failing')),
            delivered_through INTEGER NOT NULL,
            failed_attempts INTEGER NOT NULL,
            first_failure_ms INTEGER,
            next_attempt_ms INTEGER,
            version INTEGER NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        ) STRICT;
        CREATE INDEX webhook_endpoints_by_dealer ON webhook_endpoints (dealer_id, id);
        CREATE TABLE webhook_attempts (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            endpoint_id TEXT NOT NULL REFERENCES webhook_endpoints(id),
            event_seq INTEGER NOT NULL,
            event_id TEXT NOT NULL,
            event_type TEXT NOT NULL,
            attempt INTEGER NOT NULL,
            attempted_at TEXT NOT NULL,
            outcome TEXT NOT NULL CHECK (outcome IN ('delivered', 'failed')),
            status_code INTEGER,
            error TEXT,
            latency_ms INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX webhook_attempts_by_endpoint ON webhook_attempts (endpoint_id, id);
        ALTER TABLE service_requests ADD COLUMN response_breached_at TEXT;
        CREATE INDEX service_requests_breach_pending ON service_requests (response_due_at)
            WHERE first_response_at IS NULL AND response_breached_at IS NULL AND response_due_at IS NOT NULL;
        """
}
