-- Idempotency tokens of the forms that create records (issue 10). A form page
-- carries a random token; the operation that creates the record claims it in
-- its own transaction, together with the page its answer redirected to. A
-- second submission of the same token (a reload, a double click, a resend)
-- fails on the primary key and is sent to that page instead; nothing is
-- written twice. Rows older than a day are purged with the sessions.
CREATE TABLE form_submissions (
    token TEXT NOT NULL PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id),
    result_location TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX form_submissions_created ON form_submissions (created_at);
