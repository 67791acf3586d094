/** Indexes of earlier versions of this DDL, which the `_paged` ones replace (migration 1732334400011 drops them). */
export const SUPERSEDED_DIRECTORY_INDEXES = [
  'users_user_name',
  'users_external_id',
  'users_display_name',
  'users_given_name',
  'users_family_name',
  'users_formatted_name',
  'users_preferred_language',
];

export const PAGED_DIRECTORY_INDEXES = SUPERSEDED_DIRECTORY_INDEXES.map((index) => `${index}_paged`);

/**
 * The directory read model behind SCIM reads. Filterable attributes are columns (case-insensitive ones with
 * lower() indexes); the multi-valued ones the IdPs filter on are child tables; `resource` keeps the whole SCIM
 * representation to answer with (as `json`: it is only handed back, and keeps the attribute order it was sent in).
 */
export async function createDirectoryTables(client: { query(text: string): Promise<unknown> }): Promise<void> {
  await client.query(`
    CREATE TABLE IF NOT EXISTS users (
      tailnet_id uuid NOT NULL,
      id uuid NOT NULL,
      user_name text NOT NULL,
      external_id text,
      active boolean NOT NULL,
      display_name text,
      nick_name text,
      title text,
      user_type text,
      preferred_language text,
      locale text,
      timezone text,
      given_name text,
      family_name text,
      formatted_name text,
      middle_name text,
      employee_number text,
      department text,
      organization text,
      division text,
      cost_center text,
      manager_id text,
      resource json NOT NULL,
      version integer NOT NULL,
      created_at timestamptz NOT NULL,
      last_modified timestamptz NOT NULL,
      PRIMARY KEY (tailnet_id, id)
    );
    -- Every attribute Entra ID may be configured to match users on gets an index (the seed's attribute table),
    -- ordered as list pages are (created_at, id): a name shared by 12,000 users yields its first page from 200
    -- index entries instead of a sort of all 12,000. INCLUDE of the column itself lets PostgreSQL count the
    -- matches (totalResults) from the index alone, which it cannot do from an expression index without it.
    CREATE INDEX IF NOT EXISTS users_user_name_paged ON users (tailnet_id, lower(user_name), created_at, id) INCLUDE (user_name);
    CREATE INDEX IF NOT EXISTS users_external_id_paged ON users (tailnet_id, external_id, created_at, id);
    CREATE INDEX IF NOT EXISTS users_display_name_paged ON users (tailnet_id, lower(display_name), created_at, id) INCLUDE (display_name);
    CREATE INDEX IF NOT EXISTS users_given_name_paged ON users (tailnet_id, lower(given_name), created_at, id) INCLUDE (given_name);
    CREATE INDEX IF NOT EXISTS users_family_name_paged ON users (tailnet_id, lower(family_name), created_at, id) INCLUDE (family_name);
    CREATE INDEX IF NOT EXISTS users_formatted_name_paged ON users (tailnet_id, lower(formatted_name), created_at, id) INCLUDE (formatted_name);
    CREATE INDEX IF NOT EXISTS users_preferred_language_paged ON users (tailnet_id, lower(preferred_language), created_at, id) INCLUDE (preferred_language);
    CREATE INDEX IF NOT EXISTS users_created ON users (tailnet_id, created_at, id);

    CREATE TABLE IF NOT EXISTS user_emails (
      tailnet_id uuid NOT NULL,
      user_id uuid NOT NULL,
      ordinal integer NOT NULL,
      value text NOT NULL,
      type text,
      "primary" boolean NOT NULL DEFAULT false,
      display text,
      PRIMARY KEY (tailnet_id, user_id, ordinal)
    );
    CREATE INDEX IF NOT EXISTS user_emails_value ON user_emails (tailnet_id, lower(value));

    CREATE TABLE IF NOT EXISTS groups (
      tailnet_id uuid NOT NULL,
      id uuid NOT NULL,
      display_name text NOT NULL,
      external_id text,
      version integer NOT NULL,
      created_at timestamptz NOT NULL,
      last_modified timestamptz NOT NULL,
      PRIMARY KEY (tailnet_id, id)
    );
    CREATE INDEX IF NOT EXISTS groups_display_name ON groups (tailnet_id, lower(display_name));
    CREATE INDEX IF NOT EXISTS groups_external_id ON groups (tailnet_id, external_id);

    CREATE TABLE IF NOT EXISTS group_members (
      tailnet_id uuid NOT NULL,
      group_id uuid NOT NULL,
      user_id uuid NOT NULL,
      PRIMARY KEY (tailnet_id, group_id, user_id)
    );
    CREATE INDEX IF NOT EXISTS group_members_user ON group_members (tailnet_id, user_id);
  `);
}
