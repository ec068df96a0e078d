import type { Ballot, Elector, VoteRule } from '../tally.js';
import type {
  Disposition,
  GbDecision,
  Group,
  GuidelineState,
  Role,
  Stance,
  VoteResult,
} from '../vocabulary.js';

// What the dossier is made from: a Governing Body session and the records of its guidelines, as
// plain values. The workflow gathers them; everything from here on is pure.

export interface DossierOptions {
  /** The document symbol without its revision mark, e.g. `GB.294/ESP/3`. */
  symbol: string;
  /** e.g. `THIRD ITEM ON THE AGENDA`. */
  agendaItem: string;
  /** e.g. `FOR DECISION`. */
  purpose: string;
  /** e.g. `Committee on Employment and Social Policy`. */
  committee: string;
}

export interface SessionRecord {
  id: string;
  number: number;
  name: string;
  venue: string | null;
  startsAt: Date;
  endsAt: Date;
  /** How the session's paper is headed, where a build does not say. */
  paper: Partial<DossierOptions>;
}

export interface RevisionRecord {
  number: number;
  round: number;
  title: string;
  text: string;
  references: string[];
  createdAt: Date;
  /** The audit entry of the submit or resubmit that froze it, when the trail has it. */
  audit: { chain: string; seq: number; hash: string } | null;
}

export interface PositionRecord {
  round: number;
  group: Group;
  stance: Stance;
  statement: string;
  submittedAt: Date;
}

export interface VoteRecord {
  round: number;
  number: number;
  rule: VoteRule;
  ballot: 'open' | 'secret';
  strength: number;
  openedAt: Date;
  closedAt: Date | null;
  result: VoteResult | null;
  electors: Elector[];
  ballots: Ballot[];
}

export interface CommentRecord {
  id: string;
  round: number;
  /** The revision the comment was made on. */
  revision: number;
  authorRole: Role;
  authorGroup: Group | null;
  /** Who wrote it, where the meeting names those who commented; absent where it names groups only. */
  author?: { name: string; organisation: string | null };
  body: string;
  paragraph: number | null;
  quote: string | null;
  proposedText: string | null;
  disposition: Disposition | null;
  note: string | null;
  createdAt: Date;
}

export interface DecisionRecord {
  decision: GbDecision;
  instructions: string | null;
  recordedAt: Date;
}

export interface GuidelineRecord {
  id: string;
  title: string;
  state: GuidelineState;
  /**
   * Submitted to this session and awaiting its decision. A guideline deferred or referred back here
   * and now before another session is not: this paper records what was decided on it.
   */
  awaitingDecision: boolean;
  section: { number: number; title: string };
  revisions: RevisionRecord[];
  positions: PositionRecord[];
  votes: VoteRecord[];
  consensus: { round: number; summary: string; recordedAt: Date }[];
  /** Top-level comments; replies carry no disposition and stay out of the paper. */
  comments: CommentRecord[];
  /** The Governing Body's decisions on it at this session, oldest first. */
  decisions: DecisionRecord[];
}

export interface DossierRecords {
  session: SessionRecord;
  frameworkTitle: string;
  guidelines: GuidelineRecord[];
}
