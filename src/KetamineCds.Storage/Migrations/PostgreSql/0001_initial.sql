-- KetamineCds storage, version 1 (PostgreSQL). Times are Unix milliseconds (UTC).
CREATE TABLE feedback (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    service_id TEXT NOT NULL,
    card_uuid TEXT NOT NULL,
    outcome TEXT NOT NULL,
    outcome_at BIGINT NOT NULL,
    received_at BIGINT NOT NULL,
    accepted_suggestions TEXT NULL,
    override_system TEXT NULL,
    override_code TEXT NULL,
    override_display TEXT NULL,
    user_comment TEXT NULL,
    client_name TEXT NULL,
    UNIQUE (service_id, card_uuid, outcome, outcome_at)
);
CREATE INDEX ix_feedback_received_at ON feedback (received_at);
CREATE INDEX ix_feedback_card_uuid ON feedback (card_uuid);

CREATE TABLE hook_call (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at BIGINT NOT NULL,
    hook_instance TEXT NULL,
    service_id TEXT NOT NULL,
    hook TEXT NULL,
    client_name TEXT NULL,
    client_issuer TEXT NULL,
    tenant TEXT NULL,
    patient_key TEXT NULL,
    data_source TEXT NULL,
    fhir_requests INTEGER NOT NULL,
    status INTEGER NOT NULL,
    duration_ms DOUBLE PRECISION NOT NULL
);
CREATE INDEX ix_hook_call_at ON hook_call (at);

CREATE TABLE hook_card (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at BIGINT NOT NULL,
    hook_instance TEXT NULL,
    service_id TEXT NOT NULL,
    card_uuid TEXT NOT NULL,
    topic TEXT NULL,
    indicator TEXT NULL
);
CREATE INDEX ix_hook_card_at ON hook_card (at);
CREATE INDEX ix_hook_card_uuid ON hook_card (card_uuid);
