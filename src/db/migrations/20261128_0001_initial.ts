import { type Kysely, sql } from 'kysely';

// Frozen: this file is the schema as it was first shipped. Change the schema with a new migration,
// never by editing this one. The enumerated lists are written out here on purpose so that later
// changes to the application's vocabulary cannot silently rewrite history.

// PGlite runs one statement per query, so the schema is a list of statements run in order.
const schema = [
  sql`
    -- Refuses any change to a row once written: the audit trail and frozen revisions.
    create function refuse_change() returns trigger language plpgsql as $$ begin raise exception '% is append-only: % refused', tg_table_name, tg_op using errcode = 'GR001'; end $$
  `,
  sql`
    create table users (
      id uuid primary key default gen_random_uuid(),
      email text not null,
      name text not null check (length(trim(name)) > 0),
      role text not null check (role in ('drafter', 'expert', 'observer', 'secretariat')),
      "group" text check ("group" in ('government', 'employers', 'workers')),
      spokesperson boolean not null default false,
      organisation text,
      active boolean not null default true,
      password_hash text not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      constraint users_email_format check (email ~ '^[^@\\s]+@[^@\\s]+$' and email = lower(email)),
      constraint users_group_iff_expert check ((role = 'expert') = ("group" is not null)),
      constraint users_spokesperson_is_expert check (not spokesperson or role = 'expert')
    )
  `,
  sql`
    create unique index users_email_key on users (email)
  `,
  sql`
    create table frameworks (
      id uuid primary key default gen_random_uuid(),
      slug text not null unique check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
      title text not null
    )
  `,
  sql`
    create table framework_sections (
      id uuid primary key default gen_random_uuid(),
      framework_id uuid not null references frameworks (id),
      slug text not null check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
      number integer not null check (number > 0),
      title text not null,
      unique (framework_id, slug),
      unique (framework_id, number)
    )
  `,
  sql`
    create table meetings (
      id uuid primary key default gen_random_uuid(),
      framework_id uuid not null references frameworks (id),
      name text not null check (length(trim(name)) > 0),
      venue text,
      starts_at timestamptz not null,
      ends_at timestamptz not null,
      voting_rule text not null default 'weighted_majority'
        check (voting_rule in ('weighted_majority', 'concurrent_majority')),
      required_majority text not null default 'simple'
        check (required_majority in ('simple', 'two_thirds')),
      quorum numeric(4, 3) not null default 0.5 check (quorum > 0 and quorum <= 1),
      require_each_group boolean not null default true,
      ballot text not null default 'open' check (ballot in ('open', 'secret')),
      max_rounds integer not null default 3 check (max_rounds between 1 and 20),
      consultation_deadline timestamptz,
      vote_deadline timestamptz,
      chairperson_id uuid references users (id),
      closed_at timestamptz,
      created_at timestamptz not null default now(),
      constraint meetings_dates check (ends_at >= starts_at)
    )
  `,
  sql`
    create table meeting_members (
      meeting_id uuid not null references meetings (id),
      user_id uuid not null references users (id),
      added_at timestamptz not null default now(),
      primary key (meeting_id, user_id)
    )
  `,
  sql`
    create index meeting_members_user on meeting_members (user_id)
  `,
  sql`
    create table gb_sessions (
      id uuid primary key default gen_random_uuid(),
      number integer not null unique check (number > 0),
      name text not null check (length(trim(name)) > 0),
      venue text,
      starts_at timestamptz not null,
      ends_at timestamptz not null,
      document_deadline timestamptz not null,
      created_at timestamptz not null default now(),
      constraint gb_sessions_dates check (ends_at >= starts_at and document_deadline <= ends_at)
    )
  `,
  sql`
    create table guidelines (
      id uuid primary key default gen_random_uuid(),
      section_id uuid not null references framework_sections (id),
      owner_id uuid not null references users (id),
      meeting_id uuid references meetings (id),
      gb_session_id uuid references gb_sessions (id),
      title text not null check (length(trim(title)) > 0),
      text text not null,
      "references" jsonb not null default '[]' check (jsonb_typeof("references") = 'array'),
      machine_version integer not null check (machine_version > 0),
      snapshot jsonb not null check (jsonb_typeof(snapshot) = 'object'),
      state text not null check (state in (
        'drafting', 'secretariat_check', 'consultation', 'deliberation', 'voting', 'revision',
        'adopted', 'submitted_to_gb', 'approved', 'rejected', 'withdrawn')),
      round integer not null default 1 check (round > 0),
      version integer not null default 1 check (version > 0),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )
  `,
  sql`
    create index guidelines_state on guidelines (state, id)
  `,
  sql`
    create index guidelines_section on guidelines (section_id, id)
  `,
  sql`
    create index guidelines_meeting on guidelines (meeting_id, id)
  `,
  sql`
    create index guidelines_owner on guidelines (owner_id, id)
  `,
  sql`
    create table revisions (
      id uuid primary key default gen_random_uuid(),
      guideline_id uuid not null references guidelines (id),
      number integer not null check (number > 0),
      round integer not null check (round > 0),
      title text not null,
      text text not null check (length(trim(text)) > 0),
      "references" jsonb not null default '[]' check (jsonb_typeof("references") = 'array'),
      created_by uuid not null references users (id),
      created_at timestamptz not null default now(),
      unique (guideline_id, number),
      unique (id, guideline_id)
    )
  `,
  sql`
    create trigger revisions_frozen before update or delete on revisions
      for each row execute function refuse_change()
  `,
  sql`
    create table comments (
      id uuid primary key default gen_random_uuid(),
      guideline_id uuid not null,
      revision_id uuid not null,
      round integer not null check (round > 0),
      parent_id uuid references comments (id),
      author_id uuid not null references users (id),
      author_role text not null check (author_role in ('drafter', 'expert', 'observer', 'secretariat')),
      author_group text check (author_group in ('government', 'employers', 'workers')),
      body text not null check (length(trim(body)) > 0),
      anchor jsonb check (anchor is null or jsonb_typeof(anchor) = 'object'),
      anchor_paragraph integer check (anchor_paragraph > 0),
      anchor_status text check (anchor_status in ('anchored', 'relocated', 'orphaned')),
      proposed_text text,
      disposition text check (disposition in ('accepted', 'partially_accepted', 'not_accepted', 'noted')),
      disposition_note text,
      disposed_by uuid references users (id),
      disposed_at timestamptz,
      created_at timestamptz not null default now(),
      foreign key (revision_id, guideline_id) references revisions (id, guideline_id),
      constraint comments_anchor_complete check (
        (anchor is null) = (anchor_status is null) and (anchor is null) = (anchor_paragraph is null)),
      constraint comments_replies_have_no_disposition check (parent_id is null or disposition is null),
      constraint comments_not_accepted_needs_reason check (
        disposition is distinct from 'not_accepted' or length(trim(coalesce(disposition_note, ''))) > 0),
      constraint comments_disposition_recorded check ((disposition is null) = (disposed_at is null))
    )
  `,
  sql`
    create index comments_by_revision on comments (guideline_id, round, created_at, id)
  `,
  sql`
    create index comments_by_group on comments (guideline_id, author_group, created_at, id)
  `,
  sql`
    create index comments_by_paragraph on comments (guideline_id, anchor_paragraph, created_at, id)
  `,
  sql`
    create index comments_replies on comments (parent_id, created_at) where parent_id is not null
  `,
  sql`
    create table positions (
      id uuid primary key default gen_random_uuid(),
      guideline_id uuid not null references guidelines (id),
      round integer not null check (round > 0),
      "group" text not null check ("group" in ('government', 'employers', 'workers')),
      stance text not null check (stance in ('support', 'support_with_reservations', 'oppose')),
      statement text not null check (length(trim(statement)) > 0),
      submitted_by uuid not null references users (id),
      submitted_at timestamptz not null default now(),
      unique (guideline_id, round, "group")
    )
  `,
  sql`
    -- A vote is opened in a round; a vote without quorum returns to deliberation and may be opened
    -- again in the same round, so votes are numbered within the round.
    create table votes (
      guideline_id uuid not null references guidelines (id),
      round integer not null check (round > 0),
      number integer not null check (number > 0),
      voting_rule text not null check (voting_rule in ('weighted_majority', 'concurrent_majority')),
      required_majority text not null check (required_majority in ('simple', 'two_thirds')),
      quorum numeric(4, 3) not null check (quorum > 0 and quorum <= 1),
      require_each_group boolean not null,
      ballot text not null check (ballot in ('open', 'secret')),
      strength integer not null check (strength > 0),
      opened_by uuid not null references users (id),
      opened_at timestamptz not null,
      deadline timestamptz,
      closed_at timestamptz,
      result text check (result in ('passed', 'failed', 'no_quorum')),
      tally jsonb,
      primary key (guideline_id, round, number),
      constraint votes_closed_with_result check ((closed_at is null) = (result is null))
    )
  `,
  sql`
    -- The electorate, frozen when the vote opens: who may vote and with what weight (ILO practice).
    create table vote_weights (
      guideline_id uuid not null,
      round integer not null,
      vote_number integer not null,
      voter_id uuid not null references users (id),
      "group" text not null check ("group" in ('government', 'employers', 'workers')),
      weight integer not null check (weight > 0),
      primary key (guideline_id, round, vote_number, voter_id),
      foreign key (guideline_id, round, vote_number) references votes (guideline_id, round, number)
    )
  `,
  sql`
    -- One ballot per voter per vote; a ballot may only come from the frozen electorate.
    create table ballots (
      guideline_id uuid not null,
      round integer not null,
      vote_number integer not null,
      voter_id uuid not null,
      choice text not null check (choice in ('yes', 'no', 'abstain')),
      cast_at timestamptz not null,
      changed_at timestamptz,
      primary key (guideline_id, round, vote_number, voter_id),
      foreign key (guideline_id, round, vote_number, voter_id)
        references vote_weights (guideline_id, round, vote_number, voter_id)
    )
  `,
  sql`
    -- Hash-chained and append-only. A chain is one guideline's history (or 'system' for events that
    -- belong to no guideline); seq numbers a chain without gaps so that a fork cannot be written.
    create table audit_entries (
      id bigint generated always as identity primary key,
      chain text not null,
      seq integer not null check (seq > 0),
      guideline_id uuid references guidelines (id),
      actor_id uuid references users (id),
      actor_role text check (actor_role in ('drafter', 'expert', 'observer', 'secretariat', 'system')),
      event_type text not null,
      payload jsonb not null default '{}',
      from_state text,
      to_state text,
      version integer,
      occurred_at timestamptz not null,
      prev_hash text check (prev_hash ~ '^[0-9a-f]{64}$'),
      hash text not null check (hash ~ '^[0-9a-f]{64}$'),
      unique (chain, seq),
      constraint audit_entries_first_has_no_prev check ((seq = 1) = (prev_hash is null))
    )
  `,
  sql`
    create index audit_entries_guideline on audit_entries (guideline_id, seq) where guideline_id is not null
  `,
  sql`
    create trigger audit_entries_append_only before update or delete on audit_entries
      for each row execute function refuse_change()
  `,
  sql`
    create trigger audit_entries_no_truncate before truncate on audit_entries
      for each statement execute function refuse_change()
  `,
  sql`
    create table notifications (
      id uuid primary key default gen_random_uuid(),
      recipient_id uuid not null references users (id),
      kind text not null,
      guideline_id uuid references guidelines (id),
      title text not null,
      body text not null default '',
      data jsonb not null default '{}',
      dedupe_key text unique,
      created_at timestamptz not null default now(),
      read_at timestamptz
    )
  `,
  sql`
    create index notifications_inbox on notifications (recipient_id, created_at desc, id desc)
  `,
  sql`
    create table idempotency_keys (
      user_id uuid not null references users (id),
      key text not null check (length(key) between 1 and 255),
      method text not null,
      path text not null,
      request_hash text not null,
      status integer check (status between 100 and 599),
      response_headers jsonb,
      response_body jsonb,
      created_at timestamptz not null default now(),
      completed_at timestamptz,
      primary key (user_id, key)
    )
  `,
  sql`
    create index idempotency_keys_age on idempotency_keys (created_at)
  `,
  sql`
    -- Records what the demo seeder has done, so seeding twice changes nothing.
    create table seed_runs (
      name text primary key,
      password_check text not null,
      applied_at timestamptz not null default now()
    )
  `,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of schema) await statement.execute(db);
  await insertFrameworkSections(db);
}

// The framework and its sections are reference data: every database has them, production included.
async function insertFrameworkSections(db: Kysely<any>): Promise<void> {
  await sql`
    with framework as (
      insert into frameworks (slug, title)
      values ('labour-migration', 'ILO Multilateral Framework on Labour Migration')
      returning id
    )
    insert into framework_sections (framework_id, slug, number, title)
    select framework.id, s.slug, s.number, s.title
    from framework, (values
      ('decent-work', 1, 'Decent work for all'),
      ('international-cooperation', 2, 'Means for international cooperation on labour migration'),
      ('knowledge-base', 3, 'Global knowledge base'),
      ('effective-management', 4, 'Effective management of labour migration'),
      ('protection', 5, 'Protection of migrant workers'),
      ('abusive-practices', 6, 'Prevention of and protection against abusive migration practices'),
      ('migration-process', 7, 'Migration process'),
      ('social-integration', 8, 'Social integration and inclusion'),
      ('migration-development', 9, 'Migration and development')
    ) as s (slug, number, title)
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  const tables = [
    'seed_runs',
    'idempotency_keys',
    'notifications',
    'audit_entries',
    'ballots',
    'vote_weights',
    'votes',
    'positions',
    'comments',
    'revisions',
    'guidelines',
    'gb_sessions',
    'meeting_members',
    'meetings',
    'framework_sections',
    'frameworks',
    'users',
  ];
  for (const table of tables) await db.schema.dropTable(table).execute();
  await sql`drop function refuse_change()`.execute(db);
}
