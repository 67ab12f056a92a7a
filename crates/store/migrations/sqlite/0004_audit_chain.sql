-- The seal over the audit trail (SPEC §9, ADR 0009): audit rows are taken into
-- a hash chain in the background, shortly after they are committed. Entry
-- `seq` holds the hash of its row and of the entry before it
-- (domain::audit_chain::seal). Verification walks the chain; an anchor written
-- down outside the database catches a rewritten chain.
CREATE TABLE audit_chain (
    seq INTEGER PRIMARY KEY,
    audit_id BIGINT NOT NULL UNIQUE,
    hash TEXT NOT NULL,
    sealed_at BIGINT NOT NULL
);

-- The end of the chain, kept in one row: sealers take it first, so two of
-- them (two servers, or a server and `oberih audit verify`) take turns.
CREATE TABLE audit_chain_head (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL,
    last_audit_id BIGINT NOT NULL,
    sealed_at BIGINT
);
INSERT INTO audit_chain_head (id, seq, hash, last_audit_id, sealed_at)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000', 0, NULL);

-- Entries are append-only, like the rows they seal.
CREATE TRIGGER audit_chain_no_update BEFORE UPDATE ON audit_chain
BEGIN
    SELECT RAISE(ABORT, 'audit_chain entries are append-only');
END;
CREATE TRIGGER audit_chain_no_delete BEFORE DELETE ON audit_chain
BEGIN
    SELECT RAISE(ABORT, 'audit_chain entries are append-only');
END;
