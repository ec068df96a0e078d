import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type {
  AnchorStatus,
  BallotChoice,
  BallotKind,
  CommentAttribution,
  Disposition,
  GbDecision,
  Group,
  GuidelineState,
  RequiredMajority,
  Role,
  Stance,
  VoteResult,
  VotingRule,
} from '../domain/vocabulary.js';

// One interface per table, as the database has it after the latest migration.

/** A timestamp the database fills in unless given. */
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** JSON columns: read as T, written as T (the drivers serialise objects). */
type Json<T> = ColumnType<T, T | string, T | string>;

export interface UsersTable {
  id: Generated<string>;
  email: string;
  name: string;
  role: Role;
  group: Group | null;
  spokesperson: Generated<boolean>;
  organisation: string | null;
  active: Generated<boolean>;
  password_hash: string;
  /** Raised by a password change, a deactivation or "sign out everywhere": older tokens end. */
  token_epoch: Generated<number>;
  created_at: CreatedAt;
  updated_at: Generated<Date>;
}

export interface FrameworksTable {
  id: Generated<string>;
  slug: string;
  title: string;
}

export interface FrameworkSectionsTable {
  id: Generated<string>;
  framework_id: string;
  slug: string;
  number: number;
  title: string;
}

export interface MeetingsTable {
  id: Generated<string>;
  framework_id: string;
  name: string;
  venue: string | null;
  starts_at: Timestamp;
  ends_at: Timestamp;
  voting_rule: Generated<VotingRule>;
  required_majority: Generated<RequiredMajority>;
  quorum: Generated<number>;
  require_each_group: Generated<boolean>;
  ballot: Generated<BallotKind>;
  max_rounds: Generated<number>;
  consultation_deadline: Timestamp | null;
  vote_deadline: Timestamp | null;
  chairperson_id: string | null;
  closed_at: Timestamp | null;
  created_at: CreatedAt;
  /** ISO 8601 durations before each deadline at which those who have not acted are reminded. */
  reminder_offsets: ColumnType<string[], string | undefined, string>;
  /** How the Governing Body paper names those who commented. */
  comment_attribution: Generated<CommentAttribution>;
}

export interface MeetingMembersTable {
  meeting_id: string;
  user_id: string;
  added_at: CreatedAt;
}

/** How a Governing Body paper is headed, where a build does not say (all optional). */
export type PaperSettings = Partial<
  Record<'symbol' | 'agendaItem' | 'purpose' | 'committee', string>
>;

export interface GbSessionsTable {
  id: Generated<string>;
  number: number;
  name: string;
  venue: string | null;
  starts_at: Timestamp;
  ends_at: Timestamp;
  document_deadline: Timestamp;
  /** How the session's paper is headed, where a build does not say: symbol, committee, agendaItem, purpose. */
  paper: ColumnType<PaperSettings, PaperSettings | string | undefined, PaperSettings | string>;
  created_at: CreatedAt;
}

export interface GuidelinesTable {
  id: Generated<string>;
  section_id: string;
  owner_id: string;
  meeting_id: string | null;
  gb_session_id: string | null;
  title: string;
  text: string;
  references: Json<string[]>;
  machine_version: number;
  snapshot: Json<Record<string, unknown>>;
  state: GuidelineState;
  round: Generated<number>;
  /** The last round that went to consultation (0 before the first); visibility turns on it. */
  consulted_round: Generated<number>;
  version: Generated<number>;
  /** The head of the guideline's audit chain: its last seq (0 before any) and hash. */
  audit_seq: Generated<number>;
  audit_hash: string | null;
  created_at: CreatedAt;
  updated_at: Generated<Date>;
}

export interface RevisionsTable {
  id: Generated<string>;
  guideline_id: string;
  number: number;
  round: number;
  title: string;
  text: string;
  references: Json<string[]>;
  created_by: string;
  created_at: CreatedAt;
}

/** A W3C Web Annotation TextQuoteSelector plus the paragraph it was made on. */
export interface CommentAnchor {
  paragraph: number;
  exact: string;
  prefix?: string;
  suffix?: string;
}

export interface CommentsTable {
  id: Generated<string>;
  guideline_id: string;
  revision_id: string;
  round: number;
  parent_id: string | null;
  author_id: string;
  author_role: Role;
  author_group: Group | null;
  body: string;
  anchor: Json<CommentAnchor> | null;
  anchor_paragraph: number | null;
  anchor_status: AnchorStatus | null;
  proposed_text: string | null;
  disposition: Disposition | null;
  disposition_note: string | null;
  disposed_by: string | null;
  disposed_at: Timestamp | null;
  created_at: CreatedAt;
}

export interface PositionsTable {
  id: Generated<string>;
  guideline_id: string;
  round: number;
  group: Group;
  stance: Stance;
  statement: string;
  submitted_by: string;
  submitted_at: CreatedAt;
}

export interface VotesTable {
  guideline_id: string;
  round: number;
  number: number;
  voting_rule: VotingRule;
  required_majority: RequiredMajority;
  quorum: number;
  require_each_group: boolean;
  ballot: BallotKind;
  /** L = lcm of the three group sizes: each group's voting strength. */
  strength: number;
  opened_by: string;
  opened_at: Timestamp;
  deadline: Timestamp | null;
  closed_at: Timestamp | null;
  result: VoteResult | null;
  tally: Json<Record<string, unknown>> | null;
}

export interface VoteWeightsTable {
  guideline_id: string;
  round: number;
  vote_number: number;
  voter_id: string;
  group: Group;
  weight: number;
}

export interface BallotsTable {
  guideline_id: string;
  round: number;
  vote_number: number;
  voter_id: string;
  choice: BallotChoice;
  cast_at: Timestamp;
  changed_at: Timestamp | null;
}

export interface AuditEntriesTable {
  id: Generated<number>;
  chain: string;
  seq: number;
  guideline_id: string | null;
  actor_id: string | null;
  actor_role: Role | 'system' | null;
  event_type: string;
  payload: Json<Record<string, unknown>>;
  from_state: string | null;
  to_state: string | null;
  version: number | null;
  occurred_at: Timestamp;
  prev_hash: string | null;
  hash: string;
}

/** The head of each user:, meeting: and gb-session: chain (guidelines keep theirs on their row). */
export interface AuditChainHeadsTable {
  chain: string;
  seq: number;
  hash: string;
}

export interface NotificationsTable {
  id: Generated<string>;
  recipient_id: string;
  kind: string;
  guideline_id: string | null;
  title: string;
  body: Generated<string>;
  data: Json<Record<string, unknown>>;
  dedupe_key: string | null;
  created_at: CreatedAt;
  read_at: Timestamp | null;
}

export interface IdempotencyKeysTable {
  user_id: string;
  key: string;
  method: string;
  path: string;
  request_hash: string;
  status: number | null;
  response_headers: Json<Record<string, string>> | null;
  response_body: Json<unknown> | null;
  created_at: CreatedAt;
  completed_at: Timestamp | null;
  /** The workflow event the request committed (guideline and version), written in its transaction. */
  committed_guideline_id: string | null;
  committed_version: number | null;
}

export interface ConsensusRecordsTable {
  guideline_id: string;
  round: number;
  summary: string;
  recorded_by: string;
  recorded_at: Timestamp;
}

export interface GbDecisionsTable {
  id: Generated<string>;
  guideline_id: string;
  gb_session_id: string;
  decision: GbDecision;
  instructions: string | null;
  recorded_by: string;
  recorded_at: Timestamp;
}

/** An immutable build of a session's Governing Body paper; `document` re-renders it exactly. */
export interface DossierVersionsTable {
  gb_session_id: string;
  number: number;
  symbol: string;
  content_hash: string;
  document: Json<Record<string, unknown>>;
  html: string;
  markdown: string;
  pdf: Uint8Array;
  html_sha256: string;
  markdown_sha256: string;
  pdf_sha256: string;
  built_at: Timestamp;
  built_by: string;
}

export type DossierBuildStatus = 'queued' | 'running' | 'succeeded' | 'failed';

/** A request to build a dossier, run as a job; its status is what a client polls. */
export interface DossierBuildsTable {
  id: Generated<string>;
  gb_session_id: string;
  status: Generated<DossierBuildStatus>;
  options: Json<Record<string, unknown>>;
  requested_by: string;
  requested_at: Timestamp;
  finished_at: Timestamp | null;
  version_number: number | null;
  created_version: boolean | null;
  error: string | null;
  started_at: Timestamp | null;
  /** Kept fresh by the runner (database time); a stale one on a running build means its process died. */
  heartbeat_at: Timestamp | null;
  attempts: Generated<number>;
}

export interface LoginThrottleTable {
  key: string;
  failures: number;
  window_started_at: Timestamp;
  blocked_until: Timestamp | null;
}

export interface StreamEventsTable {
  /** Insertion order: the key of a row before and after it is published. */
  seq: Generated<number>;
  /** The row's place in the stream (the SSE id), given when it is published; null until then. */
  id: ColumnType<number | null, never, number>;
  kind: 'notification' | 'guideline';
  guideline_id: string | null;
  recipient_id: string | null;
  /** For guideline messages: who may see the guideline, as it was after the event. */
  owner_id: string | null;
  consulted_round: number | null;
  payload: Json<Record<string, unknown>>;
  created_at: CreatedAt;
}

export interface StreamTicketsTable {
  /** SHA-256 (hex) of the ticket; the ticket itself is never stored. */
  hash: string;
  user_id: string;
  expires_at: Timestamp;
  created_at: CreatedAt;
}

export type ChannelChoice = 'immediate' | 'daily_digest' | 'off';
export type Language = 'en' | 'fr' | 'es';

export interface NotificationPreferencesTable {
  user_id: string;
  email: Generated<ChannelChoice>;
  webhook: Generated<ChannelChoice>;
  language: Generated<Language>;
  updated_at: Generated<Date>;
}

export interface WebhookSubscriptionsTable {
  id: Generated<string>;
  url: string;
  /** Event types or notification kinds it wants; null for everything. */
  events: Json<string[]> | null;
  /** The `whsec_…` signing secret: kept to sign with, shown once. */
  secret: string;
  created_by: string;
  created_at: CreatedAt;
  deleted_at: Timestamp | null;
}

export type DeliveryChannel = 'email' | 'webhook';
export type DeliveryState = 'pending' | 'delivered' | 'failed' | 'dead' | 'digest';

/** One message to send on one channel; its id is the message's stable id (webhook-id, Message-ID). */
export interface DeliveriesTable {
  id: Generated<string>;
  channel: DeliveryChannel;
  /** null for a daily digest, which carries the notifications of its `digest` items. */
  notification_id: string | null;
  recipient_id: string;
  subscription_id: string | null;
  /** For a `digest` item: the digest delivery that carried it, once gathered. */
  digest_id: string | null;
  state: DeliveryState;
  attempts: Generated<number>;
  /** Real time, never the scenario clock; while a try runs, the end of its lease. */
  next_attempt_at: Timestamp | null;
  last_error: string | null;
  created_at: CreatedAt;
  delivered_at: Timestamp | null;
}

export interface DeliveryAttemptsTable {
  delivery_id: string;
  number: number;
  attempted_at: Timestamp;
  ok: boolean;
  error: string | null;
}

export type TimerKind =
  | 'consultation_deadline'
  | 'consultation_reminder'
  | 'vote_deadline'
  | 'vote_reminder'
  | 'gb_document_reminder';

export interface TimersTable {
  id: Generated<string>;
  kind: TimerKind;
  guideline_id: string | null;
  gb_session_id: string | null;
  round: number | null;
  /** Scenario time. */
  due_at: Timestamp;
  offset_before: string | null;
  created_at: CreatedAt;
  fired_at: Timestamp | null;
  cancelled_at: Timestamp | null;
  outcome: string | null;
  attempts: Generated<number>;
  last_error: string | null;
}

export interface ScenarioClockTable {
  id: number;
  started_from: Timestamp;
  stands_at: Timestamp;
  updated_at: Timestamp;
}

export interface SeedRunsTable {
  name: string;
  password_check: string;
  applied_at: CreatedAt;
}

export interface Database {
  users: UsersTable;
  frameworks: FrameworksTable;
  framework_sections: FrameworkSectionsTable;
  meetings: MeetingsTable;
  meeting_members: MeetingMembersTable;
  gb_sessions: GbSessionsTable;
  guidelines: GuidelinesTable;
  revisions: RevisionsTable;
  comments: CommentsTable;
  positions: PositionsTable;
  votes: VotesTable;
  vote_weights: VoteWeightsTable;
  ballots: BallotsTable;
  audit_entries: AuditEntriesTable;
  audit_chain_heads: AuditChainHeadsTable;
  notifications: NotificationsTable;
  idempotency_keys: IdempotencyKeysTable;
  seed_runs: SeedRunsTable;
  consensus_records: ConsensusRecordsTable;
  gb_decisions: GbDecisionsTable;
  login_throttle: LoginThrottleTable;
  dossier_versions: DossierVersionsTable;
  dossier_builds: DossierBuildsTable;
  stream_events: StreamEventsTable;
  stream_tickets: StreamTicketsTable;
  notification_preferences: NotificationPreferencesTable;
  webhook_subscriptions: WebhookSubscriptionsTable;
  deliveries: DeliveriesTable;
  delivery_attempts: DeliveryAttemptsTable;
  timers: TimersTable;
  scenario_clock: ScenarioClockTable;
}

export type User = Selectable<UsersTable>;
/** A user as requests work with them: the password hash is read only to sign in. */
export type Account = Omit<User, 'password_hash' | 'token_epoch'>;
export type NewUser = Insertable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;
export type Meeting = Selectable<MeetingsTable>;
export type GbSession = Selectable<GbSessionsTable>;
export type GuidelineRow = Selectable<GuidelinesTable>;
export type Revision = Selectable<RevisionsTable>;
export type Comment = Selectable<CommentsTable>;
export type Vote = Selectable<VotesTable>;
export type AuditEntry = Selectable<AuditEntriesTable>;
