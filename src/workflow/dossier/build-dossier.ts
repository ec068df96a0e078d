import type { Kysely } from 'kysely';
import type { Clock } from '../../clock.js';
import {
  type DossierVersionSummary,
  insertDossierVersion,
  latestDossierSummary,
  lockSessionForDossier,
} from '../../db/dossier-versions.js';
import type { Account, Database } from '../../db/schema.js';
import type { DossierDocument } from '../../domain/dossier/document.js';
import type { DossierOptions } from '../../domain/dossier/records.js';
import { contentHash, dossierBuild, sha256 } from '../../domain/dossier/versioning.js';
import { ordinal } from '../../domain/dossier/wording.js';
import { renderHtml } from '../../dossier/render-html.js';
import { renderMarkdown } from '../../dossier/render-markdown.js';
import type { PdfRenderer } from '../../dossier/render-pdf.js';
import type { BoundedWork } from '../bounded-work.js';
import { auditRecordChange } from '../record-audit.js';
import { gatherDossierRecords } from './gather-records.js';

// Building a session's Governing Body paper: gather the records, make the content, and keep it as
// a new version only when it differs from the last one. The renderings are made outside the
// transaction (the PDF takes a while); the version number is taken under the session's lock, and
// if another build took it meanwhile the work is done again with the next one.

/** A session's content, diffs included, is made well within this; past it the build fails. */
const contentTimeoutMs = 60_000;

export interface DossierDeps {
  db: Kysely<Database>;
  clock: Clock;
  pdf: PdfRenderer;
  /** The process's pool for work on user text: the content's diffs run there. */
  textWork: BoundedWork;
}

export interface DossierResult {
  version: DossierVersionSummary;
  /** false when nothing changed since the last version, which is then the answer. */
  created: boolean;
}

/**
 * The options a build did not give: the session's heading (which the requests that named options
 * and PATCH /gb-sessions/:id keep), then the last version's (for a session built before it had a
 * heading of its own), then plain defaults.
 */
export function resolveOptions(
  given: Partial<DossierOptions>,
  previous: DossierDocument | null,
  session: { number: number; paper: Partial<DossierOptions> },
): DossierOptions {
  const m = previous?.content.masthead;
  const own = session.paper;
  return {
    symbol:
      given.symbol ?? own.symbol ?? previous?.content.baseSymbol ?? `GB.${session.number}/ESP/1`,
    agendaItem: given.agendaItem ?? own.agendaItem ?? m?.agendaItem ?? 'Item on the agenda',
    purpose: given.purpose ?? own.purpose ?? m?.purpose ?? 'FOR DECISION',
    committee:
      given.committee ??
      own.committee ??
      m?.committee ??
      'Committee on Employment and Social Policy',
  };
}

const summaryOf = ({ document: _d, ...summary }: DossierVersionSummary & { document?: unknown }) =>
  summary;

export async function buildDossier(
  deps: DossierDeps,
  sessionId: string,
  given: Partial<DossierOptions>,
  by: Pick<Account, 'id' | 'role'>,
): Promise<DossierResult> {
  for (let attempt = 1; ; attempt++) {
    const records = await gatherDossierRecords(deps.db, sessionId);
    const latest = await latestDossierSummary(deps.db, sessionId);
    const previous = (latest?.document as unknown as DossierDocument | undefined) ?? null;
    const options = resolveOptions(given, previous, records.session);
    // Off the event loop: the content's diffs can take seconds on texts rewritten throughout.
    const content = await deps.textWork.run(
      'dossierContent',
      { records, options },
      { timeoutMs: contentTimeoutMs },
    );
    const hash = contentHash(content);
    if (latest && latest.content_hash === hash)
      return { version: summaryOf(latest), created: false };

    const number = (latest?.number ?? 0) + 1;
    const builtAt = deps.clock.now();
    const document: DossierDocument = {
      content,
      build: dossierBuild(content, number, builtAt, records.session.venue ?? 'Geneva'),
    };
    const html = renderHtml(document);
    const markdown = renderMarkdown(document);
    const pdf = await deps.pdf.render(document);
    const version = {
      gb_session_id: sessionId,
      number,
      symbol: document.build.symbol,
      content_hash: hash,
      html_sha256: sha256(html),
      markdown_sha256: sha256(markdown),
      pdf_sha256: sha256(pdf),
      built_at: builtAt,
      built_by: by.id,
    };
    const stored = await deps.db.transaction().execute(async (trx) => {
      const last = await lockSessionForDossier(trx, sessionId);
      if ((last?.number ?? 0) !== number - 1) return false;
      await insertDossierVersion(trx, {
        ...version,
        document: JSON.stringify(document),
        html,
        markdown,
        pdf,
      });
      // The digests of what was published, so a printed copy can be checked against the record.
      await auditRecordChange(trx, {
        kind: 'gb-session',
        id: sessionId,
        by,
        eventType: 'BUILD_DOSSIER',
        payload: {
          version: number,
          symbol: version.symbol,
          session: `${ordinal(records.session.number)} Session`,
          contentHash: hash,
          sha256: {
            html: version.html_sha256,
            markdown: version.markdown_sha256,
            pdf: version.pdf_sha256,
          },
          guidelines: records.guidelines.map((g) => g.id),
        },
        at: builtAt,
      });
      return true;
    });
    if (stored) return { version, created: true };
    if (attempt >= 3) throw new Error('the dossier kept changing while it was being built');
  }
}
