import type { Migration } from '../migrate.js';

/**
 * The service catalog: every list entry (item, power, fee, …) is a stable identity in `catalog_entries` and a
 * chain of immutable versions in `catalog_versions` (立改废释). A version keeps its whole entry as jsonb plus
 * a few projected columns; `catalog_current` holds the projection of the version in effect of each entry, the
 * only table public reads scan.
 * See docs/decisions/2026-11-21-catalog-versions.md.
 */
export const catalog: Migration = {
  name: '0002-catalog',
  statements: [
    `CREATE EXTENSION IF NOT EXISTS pg_trgm`,
    /** A counter bumped by every catalog write: cached public answers are valid while it stays the same. */
    `CREATE TABLE catalog_state (
      id integer PRIMARY KEY CHECK (id = 1),
      generation bigint NOT NULL DEFAULT 0,
      changed_at timestamptz NOT NULL DEFAULT now(),
      current_day date
    )`,
    `INSERT INTO catalog_state (id) VALUES (1)`,
    `CREATE TABLE catalog_files (
      id uuid PRIMARY KEY,
      name text NOT NULL,
      content_type text NOT NULL,
      size integer NOT NULL,
      sha256 text NOT NULL,
      bytes bytea NOT NULL,
      created_by text,
      created_at timestamptz NOT NULL DEFAULT now()
    )`,
    `CREATE INDEX catalog_files_sha256_idx ON catalog_files(sha256)`,
    `CREATE TABLE catalog_entries (
      id uuid PRIMARY KEY,
      kind text NOT NULL CHECK (kind IN ('item','power','fee','fund','negative','permission','supervision','intermediary')),
      code text NOT NULL,
      region_code text NOT NULL REFERENCES regions(code),
      latest_seq integer NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (kind, code)
    )`,
    `CREATE TABLE catalog_versions (
      id uuid PRIMARY KEY,
      entry_id uuid NOT NULL REFERENCES catalog_entries(id),
      kind text NOT NULL,
      code text NOT NULL,
      seq integer NOT NULL,
      action text NOT NULL CHECK (action IN ('create','amend','interpret','repeal')),
      status text NOT NULL CHECK (status IN ('draft','published')),
      region_code text NOT NULL,
      name text NOT NULL,
      department_id uuid REFERENCES departments(id),
      type text,
      themes text[] NOT NULL DEFAULT '{}',
      levels text[] NOT NULL DEFAULT '{}',
      audiences text[] NOT NULL DEFAULT '{}',
      online_depth smallint,
      immediate boolean,
      refs text[] NOT NULL DEFAULT '{}',
      search_text text NOT NULL,
      grams text[] NOT NULL DEFAULT '{}',
      data jsonb NOT NULL,
      reason text NOT NULL,
      author_id text,
      author_name text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      effective_from date NOT NULL,
      effective_until date,
      published_at timestamptz,
      published_by_id text,
      published_by_name text,
      UNIQUE (entry_id, seq),
      CHECK (effective_until IS NULL OR effective_until >= effective_from),
      CHECK ((status = 'published') = (published_at IS NOT NULL))
    )`,
    // History rows are read one at a time: the entry data and the search helpers live in TOAST.
    `ALTER TABLE catalog_versions ALTER COLUMN data SET STORAGE EXTERNAL`,
    `ALTER TABLE catalog_versions ALTER COLUMN grams SET STORAGE EXTERNAL`,
    `ALTER TABLE catalog_versions SET (toast_tuple_target = 256)`,
    `CREATE INDEX catalog_versions_entry_idx ON catalog_versions(entry_id, seq)`,
    `CREATE INDEX catalog_versions_code_idx ON catalog_versions(kind, code) WHERE status = 'published'`,
    /** Versions whose dates start or end: the daily refresh of catalog_current finds them here. */
    `CREATE INDEX catalog_versions_from_idx ON catalog_versions(effective_from) WHERE status = 'published'`,
    `CREATE INDEX catalog_versions_until_idx ON catalog_versions(effective_until) WHERE status = 'published'`,
    /**
     * What the public sees, one narrow row per entry: the version in effect today (repealed entries have
     * none). Kept by the transaction that publishes, and by a refresh when the date passes a version's
     * effective date (queries.ts syncCurrent). Search, lists and filters read only this table.
     */
    `CREATE TABLE catalog_current (
      entry_id uuid PRIMARY KEY REFERENCES catalog_entries(id),
      version_id uuid NOT NULL REFERENCES catalog_versions(id),
      kind text NOT NULL,
      code text NOT NULL,
      name text NOT NULL,
      department_id uuid REFERENCES departments(id),
      type text,
      themes text[] NOT NULL,
      levels text[] NOT NULL,
      audiences text[] NOT NULL,
      online_depth smallint,
      immediate boolean,
      case_kind text,
      legal_days integer,
      promised_days integer,
      visits integer,
      refs text[] NOT NULL,
      search_text text NOT NULL,
      grams text[] NOT NULL,
      effective_from date NOT NULL
    )`,
    // The pairs are only read through their index (containment is exact): out of the row. The search text is
    // re-checked and ranked for every candidate: in the row, uncompressed.
    `ALTER TABLE catalog_current ALTER COLUMN grams SET STORAGE EXTERNAL`,
    `ALTER TABLE catalog_current ALTER COLUMN search_text SET STORAGE PLAIN`,
    `CREATE UNIQUE INDEX catalog_current_code_idx ON catalog_current(kind, code)`,
    `CREATE INDEX catalog_current_department_idx ON catalog_current(kind, department_id)`,
    `CREATE INDEX catalog_current_name_idx ON catalog_current(kind, name)`,
    // GIN indexes collect new entries in a pending list; bulk loads merge it at once (settleIndexes in
    // queries.ts), as a long list makes the planner avoid the index until a vacuum would merge it.
    /** Characters and character pairs of the search text: short Chinese queries (低保, 许可) hit this index. */
    `CREATE INDEX catalog_current_grams_idx ON catalog_current USING gin (grams)`,
    /** Trigrams for typos (word_similarity, <%) and longer partial words. */
    `CREATE INDEX catalog_current_search_idx ON catalog_current USING gin (search_text gin_trgm_ops)`,
    `CREATE INDEX catalog_current_themes_idx ON catalog_current USING gin (themes)`,
    `CREATE INDEX catalog_current_refs_idx ON catalog_current USING gin (refs)`,
  ],
};
