namespace WikiSync.Storage;

/// <summary>
/// One schema step. <see cref="Sql"/> is portable SQL with the placeholders of <see cref="Dialect.Expand"/>;
/// <see cref="PostgreSql"/> and <see cref="Sqlite"/> replace it for the one engine when no portable form
/// exists (for example vendor-supplied DDL such as Quartz's tables).
/// </summary>
public sealed record Migration(int Version, string Name, string Sql, string? PostgreSql = null, string? Sqlite = null)
{
    public string SqlFor(SqlDialect dialect) => dialect.Expand(dialect switch
    {
        SqlDialect.PostgreSql => PostgreSql ?? Sql,
        SqlDialect.Sqlite => Sqlite ?? Sql,
        _ => Sql,
    });
}

/// <summary>
/// Every schema step WikiSync has ever had, in order. Append a new entry for a change; never edit one
/// that has shipped, since stores out there have already run it.
/// </summary>
public static class Migrations
{
    public static IReadOnlyList<Migration> All { get; } =
    [
        new(1, "initial", """
            CREATE TABLE sal_entries (
                id {identity},
                idempotency_key VARCHAR(200) NOT NULL UNIQUE,
                project VARCHAR(200) NOT NULL,
                author VARCHAR(200) NOT NULL,
                message {text} NOT NULL,
                channel VARCHAR(200) NOT NULL,
                received_utc {timestamp} NOT NULL,
                published_revision BIGINT NULL,
                published_utc {timestamp} NULL
            );
            CREATE INDEX ix_sal_entries_project_received ON sal_entries (project, received_utc);
            CREATE INDEX ix_sal_entries_unpublished ON sal_entries (project) WHERE published_revision IS NULL;
            CREATE TABLE placed_sections (
                page VARCHAR(255) NOT NULL,
                section VARCHAR(100) NOT NULL,
                placed_utc {timestamp} NOT NULL,
                PRIMARY KEY (page, section)
            );
            CREATE TABLE edit_log (
                id {identity},
                page VARCHAR(255) NOT NULL,
                revision BIGINT NULL,
                summary {text} NOT NULL,
                sections {text} NOT NULL,
                job VARCHAR(200) NULL,
                utc {timestamp} NOT NULL
            );
            CREATE INDEX ix_edit_log_utc ON edit_log (utc);
            """),
        // What a sync last verified on each page for one set of sections: the revision it saved or read
        // and found current, and a hash of the sections rendered for it. An unchanged render on an
        // unchanged revision needs no read of the page's text (issue 6).
        new(2, "verified_pages", """
            CREATE TABLE verified_pages (
                page VARCHAR(255) NOT NULL,
                section_set VARCHAR(1000) NOT NULL,
                revision BIGINT NOT NULL,
                sections_hash VARCHAR(64) NOT NULL,
                verified_utc {timestamp} NOT NULL,
                PRIMARY KEY (page, section_set)
            );
            """),
        // The page's id beside its verification: the wiki's recent changes name moved, deleted or
        // protected pages by id, so a pass needs not ask every page its revision (issue 6). 0 = not known.
        new(3, "verified_pages_page_id", """
            ALTER TABLE verified_pages ADD COLUMN page_id BIGINT NOT NULL DEFAULT 0;
            """),
        // Search of the SAL by words (issue 14 §6): an FTS5 index kept by triggers on SQLite, a GIN index
        // on the message's tsvector on PostgreSQL ('simple': no stemming, like FTS5's unicode61); and
        // newest first across all projects, for the feeds.
        new(4, "sal_search", "", PostgreSql: """
            CREATE INDEX ix_sal_entries_message_fts ON sal_entries USING GIN (to_tsvector('simple', message));
            CREATE INDEX ix_sal_entries_received ON sal_entries (received_utc);
            """, Sqlite: """
            CREATE VIRTUAL TABLE sal_entries_fts USING fts5(message, content='sal_entries', content_rowid='id');
            CREATE TRIGGER sal_entries_fts_insert AFTER INSERT ON sal_entries BEGIN
                INSERT INTO sal_entries_fts (rowid, message) VALUES (new.id, new.message);
            END;
            CREATE TRIGGER sal_entries_fts_delete AFTER DELETE ON sal_entries BEGIN
                INSERT INTO sal_entries_fts (sal_entries_fts, rowid, message) VALUES ('delete', old.id, old.message);
            END;
            CREATE TRIGGER sal_entries_fts_update AFTER UPDATE OF message ON sal_entries BEGIN
                INSERT INTO sal_entries_fts (sal_entries_fts, rowid, message) VALUES ('delete', old.id, old.message);
                INSERT INTO sal_entries_fts (rowid, message) VALUES (new.id, new.message);
            END;
            INSERT INTO sal_entries_fts (sal_entries_fts) VALUES ('rebuild');
            CREATE INDEX ix_sal_entries_received ON sal_entries (received_utc);
            """),
        // SAL entries kept out of the wiki (issue 14 §4): state 'refused' (the wiki refused the text; the
        // reason is its error code and message) or 'hidden' (by an operator), NULL for every other entry;
        // since when; and when the author was told on IRC of a refusal (once, whichever node tells).
        // Neither kind is waiting, so the partial index of waiting entries leaves them out.
        new(5, "sal_refused", """
            ALTER TABLE sal_entries ADD COLUMN state VARCHAR(20) NULL;
            ALTER TABLE sal_entries ADD COLUMN state_reason {text} NULL;
            ALTER TABLE sal_entries ADD COLUMN state_utc {timestamp} NULL;
            ALTER TABLE sal_entries ADD COLUMN refusal_told_utc {timestamp} NULL;
            DROP INDEX ix_sal_entries_unpublished;
            CREATE INDEX ix_sal_entries_unpublished ON sal_entries (project) WHERE published_revision IS NULL AND state IS NULL;
            CREATE INDEX ix_sal_entries_state ON sal_entries (state, received_utc) WHERE state IS NOT NULL;
            """),
        // Issue 15 §2: what WikiSync last saved or verified between each section's markers (a hash of the
        // text, and the revision), so an edit inside a section by someone else is noticed, and a section
        // kept as a person wrote it (human_edits: keep) until its data changes; and the human edits seen,
        // next to edit_log, so every node's status page lists them.
        new(6, "human_edits", """
            CREATE TABLE written_sections (
                page VARCHAR(255) NOT NULL,
                section VARCHAR(100) NOT NULL,
                text_hash VARCHAR(64) NOT NULL,
                revision BIGINT NOT NULL,
                held_render VARCHAR(64) NULL,
                held_user VARCHAR(255) NULL,
                held_revision BIGINT NULL,
                written_utc {timestamp} NOT NULL,
                PRIMARY KEY (page, section)
            );
            CREATE TABLE human_edits (
                id {identity},
                page VARCHAR(255) NOT NULL,
                section VARCHAR(100) NOT NULL,
                user_name VARCHAR(255) NOT NULL,
                revision BIGINT NOT NULL,
                action VARCHAR(20) NOT NULL,
                job VARCHAR(200) NOT NULL,
                utc {timestamp} NOT NULL
            );
            """),
        // Issue 12 §7: what a page's sections were rendered from when verified, so a pass whose inputs did not
        // change knows the page current without rendering it (empty: not known, the page is rendered).
        new(7, "verified_pages_inputs", """
            ALTER TABLE verified_pages ADD COLUMN inputs_hash VARCHAR(64) NOT NULL DEFAULT '';
            """),
        // Issue 13 §3: refreshes a notification asked for and no node has finished yet (project '*' = every
        // project), one row per project and scope; a notification is acknowledged once its row is here, so a
        // node killed mid-refresh loses nothing (any node's sweep runs what stays).
        new(8, "pending_refreshes", """
            CREATE TABLE pending_refreshes (
                project VARCHAR(200) NOT NULL,
                scope VARCHAR(20) NOT NULL,
                requested_utc {timestamp} NOT NULL,
                PRIMARY KEY (project, scope)
            );
            """),
    ];

    public static int Latest => All.Count == 0 ? 0 : All[^1].Version;
}
