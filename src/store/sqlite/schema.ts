import type { Migration } from './database';

/**
 * The embedded store's schema, one step per version (see database.ts). Each table's statements live
 * beside their queries in its own file; this is the one place the tables are made.
 *
 * Text timestamps are ISO 8601 in UTC, which sort as they read; `at` columns are epoch milliseconds.
 */
export const STORE_MIGRATIONS: readonly Migration[] = [
  `
  -- A call's events side by side (clustered on the call): a call is read whole, by the ingestor
  -- after each webhook and by a rebuild. The id is unique within its call (it comes from one
  -- webhook delivery), which is what makes a redelivery a no-op.
  CREATE TABLE events (
    call_sid TEXT NOT NULL,
    id       TEXT NOT NULL,
    at       INTEGER NOT NULL,
    body     TEXT NOT NULL,
    PRIMARY KEY (call_sid, id)
  ) WITHOUT ROWID;

  -- One row per call, in progress or ended. started_at is '' when the call's start is unknown (its
  -- call.started was lost), which sorts before every time, as the listing's order wants.
  CREATE TABLE journeys (
    call_sid    TEXT PRIMARY KEY,
    started_at  TEXT NOT NULL,
    flow_id     TEXT,
    caller      TEXT,
    ended       INTEGER NOT NULL,
    event_count INTEGER NOT NULL,
    body        TEXT NOT NULL
  );
  CREATE INDEX journeys_by_start ON journeys (started_at, call_sid);
  CREATE INDEX journeys_by_flow ON journeys (flow_id, started_at, call_sid);
  CREATE INDEX journeys_by_caller ON journeys (caller) WHERE caller IS NOT NULL;

  -- Counters per flow version, hour (or day, month: see metrics/grains.ts) and dimension. Clustered
  -- on (grain, family, hour) so that a query for one dimension family over a range reads just those
  -- rows: a year of one family is twelve month rows per dimension. family is the dimension without
  -- its grain prefix, up to and with its first ':' ("node:", "fallback:"), or all of it ("call").
  CREATE TABLE rollups (
    grain        INTEGER NOT NULL,
    family       TEXT NOT NULL,
    hour         TEXT NOT NULL,
    dim          TEXT NOT NULL,
    flow_id      TEXT NOT NULL,
    flow_version TEXT NOT NULL,
    counts       TEXT NOT NULL,
    PRIMARY KEY (grain, family, hour, dim, flow_id, flow_version)
  ) WITHOUT ROWID;
  CREATE INDEX rollups_by_hour ON rollups (hour);

  -- Hours whose rollups a group of journeys is moving (see ingest/rollup-intents.ts). Few rows.
  CREATE TABLE rollup_intents (
    id    TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    at    INTEGER NOT NULL,
    hours TEXT NOT NULL
  );
  `,
  `
  -- Every flow version served (see Store.archiveFlowVersions). A version is a hash of its flow, so a
  -- row never changes once written.
  CREATE TABLE flow_versions (
    flow_id     TEXT NOT NULL,
    version     TEXT NOT NULL,
    source      TEXT NOT NULL,
    flow        TEXT NOT NULL,
    archived_at TEXT NOT NULL,
    PRIMARY KEY (flow_id, version)
  ) WITHOUT ROWID;
  `,
  `
  -- How often each rollup scope ("hour:<iso>", "day:<iso>", "month:<iso>") was announced to change
  -- (see Store.rollupScopeVersions): a repair that finds a scope's count unchanged around its reads
  -- knows no group moved it meanwhile. A few thousand rows a year.
  CREATE TABLE rollup_scope_versions (
    scope TEXT PRIMARY KEY,
    n     INTEGER NOT NULL
  ) WITHOUT ROWID;
  `,
  `
  -- Staff identity (see identity/model.ts and identity-tables.ts). A few hundred users and sessions,
  -- so only the lookups by something other than the key are indexed. roles and details are JSON
  -- text; flags are 0/1; epoch-ms columns are INTEGER, ISO times TEXT, as the model has them.
  CREATE TABLE users (
    email                TEXT PRIMARY KEY,
    name                 TEXT NOT NULL,
    roles                TEXT NOT NULL,
    disabled             INTEGER NOT NULL,
    source               TEXT NOT NULL,
    oidc_subject         TEXT,
    password_hash        TEXT,
    must_change_password INTEGER NOT NULL,
    failed_sign_ins      INTEGER NOT NULL,
    locked_until         INTEGER,
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX users_by_subject ON users (oidc_subject) WHERE oidc_subject IS NOT NULL;

  -- Keyed by the SHA-256 of the cookie's id, never the id itself.
  CREATE TABLE sessions (
    id_hash      TEXT PRIMARY KEY,
    email        TEXT NOT NULL,
    via          TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    address      TEXT
  ) WITHOUT ROWID;
  CREATE INDEX sessions_by_email ON sessions (email);

  -- Found by the SHA-256 of the bearer token on every scripted request; listed per user, newest first.
  CREATE TABLE api_tokens (
    id           TEXT PRIMARY KEY,
    hash         TEXT NOT NULL,
    email        TEXT NOT NULL,
    name         TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    created_by   TEXT NOT NULL,
    revoked_at   TEXT,
    last_used_at TEXT
  ) WITHOUT ROWID;
  CREATE UNIQUE INDEX api_tokens_by_hash ON api_tokens (hash);
  CREATE INDEX api_tokens_by_email ON api_tokens (email, created_at);

  -- Sign-ins through the identity provider between redirect and callback, keyed by the state's SHA-256.
  CREATE TABLE pending_signins (
    state_hash    TEXT PRIMARY KEY,
    code_verifier TEXT NOT NULL,
    nonce         TEXT NOT NULL,
    return_to     TEXT NOT NULL,
    expires_at    INTEGER NOT NULL
  ) WITHOUT ROWID;

  -- The audit trail, a hash chain in seq order (the rowid: appends go to the end of the table).
  -- Listings filter by one of actor, action or object and page by seq, hence (column, seq).
  CREATE TABLE audit (
    seq       INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    object    TEXT,
    address   TEXT,
    details   TEXT,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
  );
  CREATE INDEX audit_by_at ON audit (at);
  CREATE INDEX audit_by_actor ON audit (actor, seq);
  CREATE INDEX audit_by_action ON audit (action, seq);
  CREATE INDEX audit_by_object ON audit (object, seq) WHERE object IS NOT NULL;

  -- The link of the last entry pruning removed (see IdentityStore.pruneAudit): one row at most.
  CREATE TABLE audit_anchor (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  INTEGER NOT NULL,
    hash TEXT NOT NULL
  );
  `,
  `
  -- Absence notices (see reception/notice.ts), one per person by their number in E.164. A few hundred
  -- rows at most, read whole into the notice board: no index beyond the key.
  CREATE TABLE notices (
    person TEXT PRIMARY KEY,
    reason TEXT NOT NULL,
    until  TEXT,
    text   TEXT,
    set_by TEXT NOT NULL,
    set_at TEXT NOT NULL
  ) WITHOUT ROWID;
  `,
  `
  -- Callers' spoken comments (see reception/comments.ts and comments-table.ts): personal data with their
  -- own, shorter retention, apart from the events and journeys. Read by call (a timeline, the register
  -- extract, erasure) and newest first (the comments list, retention by time).
  CREATE TABLE comments (
    id         TEXT PRIMARY KEY,
    call_sid   TEXT NOT NULL,
    at         TEXT NOT NULL,
    flow_id    TEXT,
    language   TEXT NOT NULL,
    confidence REAL,
    text       TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX comments_by_call ON comments (call_sid);
  CREATE INDEX comments_by_at ON comments (at, id);
  CREATE INDEX comments_by_flow ON comments (flow_id, at, id);
  `,
  `
  -- Callbacks callers asked for (see reception/callbacks.ts and callbacks-table.ts): the number sealed
  -- (AES-256-GCM, never in clear), whom they sought, the promise, and reception's work on it. Deleted
  -- CALLBACK_RETENTION_DAYS after closing, and with their calls (erasure, call retention).
  CREATE TABLE callbacks (
    id           TEXT PRIMARY KEY,
    call_sid     TEXT NOT NULL,
    flow_id      TEXT,
    caller       TEXT,
    node_id      TEXT NOT NULL,
    target       TEXT,
    target_kind  TEXT,
    source       TEXT NOT NULL,
    language     TEXT NOT NULL,
    requested_at TEXT NOT NULL,
    deadline     TEXT,
    expires      TEXT NOT NULL,
    sealed       TEXT NOT NULL,
    state        TEXT NOT NULL,
    assigned_to  TEXT,
    tries        INTEGER NOT NULL DEFAULT 0,
    closed_at    TEXT
  ) WITHOUT ROWID;
  CREATE INDEX callbacks_by_call ON callbacks (call_sid);
  CREATE INDEX callbacks_by_state ON callbacks (state, requested_at);
  CREATE INDEX callbacks_by_requested ON callbacks (requested_at);
  CREATE INDEX callbacks_by_closed ON callbacks (closed_at);
  -- Each change to a callback with its time and who made it, oldest first (seq).
  CREATE TABLE callback_history (
    callback_id TEXT NOT NULL,
    seq         INTEGER NOT NULL,
    at          TEXT NOT NULL,
    action      TEXT NOT NULL,
    by_whom     TEXT,
    assigned_to TEXT,
    note        TEXT,
    PRIMARY KEY (callback_id, seq)
  ) WITHOUT ROWID;
  `,
];
