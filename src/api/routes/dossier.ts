import type { Response } from 'express';
import { z } from 'zod';
import type { DossierBuildRow, DossierVersionSummary } from '../../db/dossier-versions.js';
import type { DossierDocument } from '../../domain/dossier/document.js';
import { isUuid } from '../../domain/ids.js';
import { type CsvTable, csvTables, renderCsv } from '../../dossier/render-csv.js';
import { createPdfRenderer } from '../../dossier/render-pdf.js';
import {
  type DossierExecutor,
  inProcessExecutor,
  requestDossierBuild,
} from '../../workflow/dossier/build-jobs.js';
import {
  dossierBuild,
  dossierHistory,
  storedDossier,
} from '../../workflow/dossier/read-dossier.js';
import { authorize } from '../access.js';
import type { ApiDependencies } from '../dependencies.js';
import { type Endpoint, endpoint } from '../endpoint.js';
import { HttpProblem } from '../problem.js';
import { paperOptionsSchema } from '../schemas.js';

// The Governing Body paper of a session (SPEC section 6). The secretariat builds it; once built,
// every signed-in user may read it: it is the paper put before the Governing Body, made of records
// that are no longer sealed (consultations closed, votes closed, secret ballots only as totals).
// Before the first build there is nothing to read, for anyone: 404.

export interface DossierService {
  executor: DossierExecutor;
  /** How long a build request waits for the job before answering 202. */
  quickMs: number;
}

// A server passes its durable queue in; otherwise (tests) the endpoints make an in-process
// executor and PDF renderer when a build is first asked for.
function dossierService(deps: ApiDependencies): DossierService {
  return {
    executor:
      deps.dossier?.executor ??
      inProcessExecutor({
        db: deps.db,
        clock: deps.clock,
        pdf: createPdfRenderer(),
        textWork: deps.textWork,
      }),
    quickMs: deps.dossier?.quickMs ?? 3000,
  };
}

const sessionParams = z.strictObject({ id: z.string() });
const versionNumber = z.coerce.number().int().min(1).max(1_000_000);
const versionParams = z.strictObject({ id: z.string(), n: versionNumber });
const tableParams = z.strictObject({ id: z.string(), table: z.enum(csvTables) });
const versionTableParams = z.strictObject({
  id: z.string(),
  n: versionNumber,
  table: z.enum(csvTables),
});
const buildParams = z.strictObject({ id: z.string(), buildId: z.string() });
const buildBody = paperOptionsSchema;

const sha = z.string().regex(/^[0-9a-f]{64}$/);
const versionSchema = z
  .strictObject({
    number: z.number().int(),
    symbol: z.string(),
    contentHash: sha,
    sha256: z.strictObject({ html: sha, markdown: sha, pdf: sha }),
    builtAt: z.iso.datetime(),
    builtBy: z.uuid(),
    links: z.strictObject({ html: z.string(), md: z.string(), pdf: z.string() }),
  })
  .meta({ id: 'DossierVersion' });
const buildSchema = z
  .strictObject({
    id: z.uuid(),
    status: z.enum(['queued', 'running', 'succeeded', 'failed']),
    requestedAt: z.iso.datetime(),
    finishedAt: z.iso.datetime().nullable(),
    version: z.number().int().nullable(),
    createdVersion: z.boolean().nullable(),
    error: z.string().nullable(),
  })
  .meta({ id: 'DossierBuild' });
const provenanceSchema = z
  .strictObject({
    version: z.number().int(),
    symbol: z.string(),
    paragraphs: z.array(z.object({ number: z.number().int() }).catchall(z.unknown())),
  })
  .meta({ id: 'DossierProvenance' });

const readAccess =
  'Any signed-in user may read a dossier once the secretariat has built it; before the first build the answer is 404 for everyone.';

const base = (sessionId: string) => `/api/v1/gb-sessions/${sessionId}/dossier`;

const versionView = (v: DossierVersionSummary) => ({
  number: v.number,
  symbol: v.symbol,
  contentHash: v.content_hash,
  sha256: { html: v.html_sha256, markdown: v.markdown_sha256, pdf: v.pdf_sha256 },
  builtAt: v.built_at.toISOString(),
  builtBy: v.built_by,
  links: {
    html: `${base(v.gb_session_id)}/versions/${v.number}.html`,
    md: `${base(v.gb_session_id)}/versions/${v.number}.md`,
    pdf: `${base(v.gb_session_id)}/versions/${v.number}.pdf`,
  },
});

const buildView = (b: DossierBuildRow) => ({
  id: b.id,
  status: b.status,
  requestedAt: b.requested_at.toISOString(),
  finishedAt: b.finished_at?.toISOString() ?? null,
  version: b.version_number,
  createdVersion: b.created_version,
  error: b.error,
});

const noSession = () =>
  new HttpProblem({
    code: 'not_found',
    title: 'Not found',
    detail: 'There is no Governing Body session with that id.',
  });
const noDossier = (n?: number) =>
  new HttpProblem({
    code: 'not_found',
    title: 'Not found',
    detail:
      n === undefined
        ? 'No dossier has been built for this session yet.'
        : `The dossier has no version ${n}.`,
  });

const formats = {
  html: { type: 'text/html; charset=utf-8', media: 'text/html', column: 'html_sha256' },
  md: { type: 'text/markdown; charset=utf-8', media: 'text/markdown', column: 'markdown_sha256' },
  pdf: { type: 'application/pdf', media: 'application/pdf', column: 'pdf_sha256' },
} as const;
type Format = keyof typeof formats;

export const dossierEndpoints = (deps: ApiDependencies, service?: DossierService): Endpoint[] => {
  let made: DossierService | undefined;
  const dossier = () => {
    made ??= service ?? dossierService(deps);
    return made;
  };

  const stored = async (sessionId: string, n?: number) => {
    const found = await storedDossier(deps.db, sessionId, n);
    if ('missing' in found) throw found.missing === 'session' ? noSession() : noDossier(n);
    return found.version;
  };

  const send = (res: Response, row: Awaited<ReturnType<typeof stored>>, format: Format) => {
    const f = formats[format];
    const file = `${row.symbol.replace(/[^A-Za-z0-9.()-]+/g, '_')}.${format}`;
    res
      .set({
        ETag: `"${row[f.column]}"`,
        'Cache-Control': 'private, no-cache',
        'Content-Disposition': `inline; filename="${file}"`,
        'X-Dossier-Version': String(row.number),
      })
      .type(f.type)
      .send(format === 'html' ? row.html : format === 'md' ? row.markdown : Buffer.from(row.pdf));
  };

  const renderingEndpoints = (format: Format): Endpoint[] => [
    endpoint({
      method: 'get',
      path: `/api/v1/gb-sessions/:id/dossier.${format}`,
      tag: 'dossier',
      summary: `The latest version of the session's dossier as ${format.toUpperCase()}`,
      description: readAccess,
      signedIn: true,
      params: sessionParams,
      responses: {
        200: { description: 'The paper.', contentType: formats[format].media, headers: ['ETag'] },
      },
      problems: ['not_found'],
      async handle({ params }, _req, res) {
        send(res, await stored(params.id), format);
      },
    }),
    endpoint({
      method: 'get',
      path: `/api/v1/gb-sessions/:id/dossier/versions/:n.${format}`,
      tag: 'dossier',
      summary: `One version of the session's dossier as ${format.toUpperCase()}`,
      description: readAccess,
      signedIn: true,
      params: versionParams,
      responses: {
        200: { description: 'The paper.', contentType: formats[format].media, headers: ['ETag'] },
      },
      problems: ['not_found'],
      async handle({ params }, _req, res) {
        send(res, await stored(params.id, params.n), format);
      },
    }),
  ];

  const sendCsv = (res: Response, row: Awaited<ReturnType<typeof stored>>, table: CsvTable) => {
    res
      .set({ 'Cache-Control': 'private, no-cache', 'X-Dossier-Version': String(row.number) })
      .type('text/csv; charset=utf-8')
      .send(renderCsv(row.document as unknown as DossierDocument, table));
  };

  return [
    endpoint({
      method: 'post',
      path: '/api/v1/gb-sessions/:id/dossier',
      tag: 'dossier',
      summary: 'Build the Governing Body paper of a session (secretariat)',
      description:
        'Runs as a job. When it finishes quickly the answer is the version: 201 when the content ' +
        'changed since the last version (a new number, `(Rev.N)` in the symbol), 200 when nothing ' +
        'changed (the last version again). Otherwise, or with `Prefer: respond-async`, 202 with ' +
        "the job to poll in `Location`. Options named become the session's heading (see PATCH /gb-sessions/:id); options left out come from it.",
      signedIn: true,
      params: sessionParams,
      body: buildBody,
      headers: ['Idempotency-Key'],
      responses: {
        200: {
          description: 'Nothing changed: the latest version.',
          schema: versionSchema,
          headers: ['Location'],
        },
        201: { description: 'A new version.', schema: versionSchema, headers: ['Location'] },
        202: { description: 'Building: poll the job.', schema: buildSchema, headers: ['Location'] },
      },
      problems: [
        'forbidden',
        'not_found',
        'not_ready',
        'unsupported_media_type',
        'payload_too_large',
      ],
      async handle({ params, body, user }, req, res) {
        authorize(user, 'manage_gb_sessions');
        if (!isUuid(params.id)) throw noSession();
        const { executor, quickMs } = dossier();
        const build = await requestDossierBuild({ ...deps, executor }, params.id, body, user);
        // Asked to answer at once (RFC 7240), or the build takes longer than a moment: 202.
        const async = /\brespond-async\b/i.test(req.get('prefer') ?? '');
        const finished = !async && (await executor.settled(build.id, quickMs));
        const row = (await dossierBuild(deps.db, params.id, build.id)) ?? build;
        if (!finished || row.status === 'queued' || row.status === 'running') {
          res
            .status(202)
            .set('Location', `${base(params.id)}/builds/${build.id}`)
            .json(buildView(row));
          return;
        }
        if (row.status === 'failed' || row.version_number === null) {
          throw new HttpProblem({
            code: 'not_ready',
            title: 'The dossier could not be built',
            detail: `${row.error ?? 'The build failed.'} (build ${row.id})`,
          });
        }
        const version = await stored(params.id, row.version_number);
        res
          .status(row.created_version ? 201 : 200)
          .set('Location', `${base(params.id)}/versions/${version.number}.html`)
          .json(versionView(version));
      },
    }),
    endpoint({
      method: 'get',
      path: '/api/v1/gb-sessions/:id/dossier/builds/:buildId',
      tag: 'dossier',
      summary:
        'A dossier build job: queued, running, succeeded (with its version) or failed (secretariat)',
      signedIn: true,
      params: buildParams,
      responses: { 200: { description: 'The job.', schema: buildSchema } },
      problems: ['forbidden', 'not_found'],
      async handle({ params, user }, _req, res) {
        authorize(user, 'manage_gb_sessions');
        const row = await dossierBuild(deps.db, params.id, params.buildId);
        if (!row)
          throw new HttpProblem({
            code: 'not_found',
            title: 'Not found',
            detail: 'No such dossier build.',
          });
        if (row.version_number !== null) {
          res.set('Location', `${base(params.id)}/versions/${row.version_number}.html`);
        }
        res.json(buildView(row));
      },
    }),
    endpoint({
      method: 'get',
      path: '/api/v1/gb-sessions/:id/dossier/versions',
      tag: 'dossier',
      summary:
        "Every version of the session's dossier, oldest first, with the SHA-256 of each rendering",
      description: readAccess,
      signedIn: true,
      params: sessionParams,
      responses: {
        200: {
          description: 'The versions.',
          schema: z.strictObject({ items: z.array(versionSchema), nextCursor: z.null() }),
        },
      },
      problems: ['not_found'],
      async handle({ params }, _req, res) {
        const found = await dossierHistory(deps.db, params.id);
        if ('missing' in found) throw found.missing === 'session' ? noSession() : noDossier();
        res
          .set('Cache-Control', 'private, no-cache')
          .json({ items: found.versions.map(versionView), nextCursor: null });
      },
    }),
    ...(['html', 'md', 'pdf'] as const).flatMap(renderingEndpoints),
    endpoint({
      method: 'get',
      path: '/api/v1/gb-sessions/:id/dossier/versions/:n/:table.csv',
      tag: 'dossier',
      summary: 'A table of one version as CSV: positions, votes or dispositions',
      description: readAccess,
      signedIn: true,
      params: versionTableParams,
      responses: { 200: { description: 'The table.', contentType: 'text/csv' } },
      problems: ['not_found'],
      async handle({ params }, _req, res) {
        sendCsv(res, await stored(params.id, params.n), params.table);
      },
    }),
    endpoint({
      method: 'get',
      path: '/api/v1/gb-sessions/:id/dossier/:table.csv',
      tag: 'dossier',
      summary: 'A table of the latest version as CSV: positions, votes or dispositions',
      description: readAccess,
      signedIn: true,
      params: tableParams,
      responses: { 200: { description: 'The table.', contentType: 'text/csv' } },
      problems: ['not_found'],
      async handle({ params }, _req, res) {
        sendCsv(res, await stored(params.id), params.table);
      },
    }),
    ...[
      { path: '/api/v1/gb-sessions/:id/dossier/provenance', which: 'the latest version' },
      { path: '/api/v1/gb-sessions/:id/dossier/versions/:n/provenance', which: 'one version' },
    ].map(({ path, which }) =>
      endpoint({
        method: 'get',
        path,
        tag: 'dossier',
        summary: `Where each adopted paragraph of ${which} comes from`,
        description:
          'Per paragraph of guideline text: the revision and round it comes from, the audit entry that froze that revision, and the comments whose accepted or partially accepted disposition changed it. ' +
          readAccess,
        signedIn: true,
        params: path.includes(':n') ? versionParams : sessionParams,
        responses: { 200: { description: 'The provenance.', schema: provenanceSchema } },
        problems: ['not_found'],
        async handle({ params }, _req, res) {
          const n = 'n' in params ? (params.n as number) : undefined;
          const row = await stored(params.id, n);
          const document = row.document as unknown as DossierDocument;
          const paragraphs = document.content.body.flatMap((b) =>
            b.kind === 'paragraph' && b.source && b.number !== null
              ? [{ number: b.number, ...b.source }]
              : [],
          );
          res
            .set('Cache-Control', 'private, no-cache')
            .json({ version: row.number, symbol: row.symbol, paragraphs });
        },
      }),
    ),
  ];
};
