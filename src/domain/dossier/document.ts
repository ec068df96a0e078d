import type { DiffOperation } from '../text-diff.js';

// The Governing Body paper as a document model: a masthead and a flat list of blocks that every
// renderer (HTML, Markdown, PDF) walks the same way, so the three carry the same content.

export interface Masthead {
  office: string;
  body: string;
  /** e.g. `294th Session`. */
  session: string;
  /** e.g. `Geneva, November 2005`. */
  placeAndMonth: string;
  committee: string;
  purpose: string;
  agendaItem: string;
}

/** Where an adopted paragraph comes from (SPEC section 6). */
export interface ParagraphSource {
  guidelineId: string;
  guidelineNumber: number;
  /** Its number inside the guideline's own text. */
  paragraph: number;
  revision: number;
  round: number;
  audit: { chain: string; seq: number; hash: string } | null;
  /** Comments whose accepted or partially accepted disposition changed it, by their paper ref. */
  comments: { id: string; ref: string; disposition: 'accepted' | 'partially_accepted' }[];
}

export interface Table {
  /** Names the CSV export: `positions`, `votes`, `dispositions`. */
  name: string;
  caption: string;
  columns: string[];
  rows: string[][];
}

export type Block =
  | { kind: 'heading'; level: 2 | 3 | 4; text: string; id?: string }
  /** A numbered paragraph of the paper; `source` when it is adopted guideline text. */
  | {
      kind: 'paragraph';
      number: number | null;
      text: string;
      id?: string;
      source?: ParagraphSource;
    }
  | { kind: 'table'; table: Table }
  | { kind: 'note'; text: string }
  | { kind: 'diff'; caption: string; operations: DiffOperation[] };

export interface DossierContent {
  sessionId: string;
  masthead: Masthead;
  /** The symbol as configured, before any revision mark. */
  baseSymbol: string;
  title: string;
  body: Block[];
  annexes: { id: string; title: string; blocks: Block[] }[];
  /** The paragraph that holds the point for decision, for the closing line. */
  pointForDecision: number | null;
  provenance: ParagraphSource[];
}

/** What one build adds to the content: its number, the symbol with `(Rev.N)`, the date line. */
export interface DossierBuild {
  version: number;
  symbol: string;
  /** e.g. `Geneva, 8 November 2005`. */
  dateLine: string;
  builtAt: string;
}

export interface DossierDocument {
  content: DossierContent;
  build: DossierBuild;
}
