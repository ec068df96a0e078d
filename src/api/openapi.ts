import { z } from 'zod';
import type { Endpoint } from './endpoint.js';
import { type ProblemCode, problemCodes } from './problem.js';
import { problemSchema } from './schemas.js';

// The OpenAPI 3.1 document, generated from the endpoint table and the same zod schemas that
// validate requests. OpenAPI 3.1 schemas are JSON Schema 2020-12, which is zod's native target.

type JsonSchema = Record<string, unknown>;

/** Problems any endpoint can answer: malformed input, the server's own failure, a lost database. */
const everywhere: readonly ProblemCode[] = [
  'bad_request',
  'validation_failed',
  'internal_error',
  'unavailable',
];
const signedInProblems: readonly ProblemCode[] = ['unauthenticated'];

const headerDocs = {
  'If-Match': {
    description: 'The ETag of the guideline as you last saw it, e.g. "7".',
    schema: { type: 'string', examples: ['"7"'] },
  },
  'Idempotency-Key': {
    description:
      'Any unique string (a UUID is good). Retrying with the same key and body returns the first answer; another body gets 422.',
    schema: { type: 'string', minLength: 1, maxLength: 255 },
  },
} as const;

class Components {
  readonly schemas: Record<string, JsonSchema> = {};
  /** Converts a schema, moving its named parts into `components.schemas`. */
  convert(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
    const json = z.toJSONSchema(schema, {
      io,
      target: 'draft-2020-12',
      unrepresentable: 'any',
    }) as JsonSchema & { $defs?: Record<string, JsonSchema> };
    const { $schema: _dialect, $defs, ...rest } = json;
    for (const [id, def] of Object.entries($defs ?? {})) this.add(id, def);
    return rewriteRefs(rest) as JsonSchema;
  }
  private add(id: string, def: JsonSchema) {
    const rewritten = rewriteRefs(def) as JsonSchema;
    const known = this.schemas[id];
    if (known && JSON.stringify(known) !== JSON.stringify(rewritten)) {
      throw new Error(`two different schemas are both named ${id}`);
    }
    this.schemas[id] = rewritten;
  }
}

function rewriteRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewriteRefs);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) =>
      key === '$ref' && typeof v === 'string'
        ? [key, v.replace('#/$defs/', '#/components/schemas/')]
        : [key, rewriteRefs(v)],
    ),
  );
}

/** `/api/v1/guidelines/:id` → `/api/v1/guidelines/{id}` */
export const openApiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}');

function parametersOf(e: Endpoint, components: Components) {
  const parameters: unknown[] = [];
  for (const [where, schema] of [
    ['path', e.params],
    ['query', e.query],
  ] as const) {
    if (!schema) continue;
    const json = components.convert(schema, 'input') as {
      properties?: Record<string, JsonSchema>;
      required?: string[];
    };
    for (const [name, property] of Object.entries(json.properties ?? {})) {
      parameters.push({
        name,
        in: where,
        required: where === 'path' || (json.required ?? []).includes(name),
        schema: property,
      });
    }
  }
  for (const name of e.headers ?? []) {
    parameters.push({
      name,
      in: 'header',
      required: name === 'If-Match',
      ...headerDocs[name],
    });
  }
  return parameters;
}

function responsesOf(e: Endpoint, components: Components) {
  const responses: Record<string, unknown> = {};
  for (const [status, spec] of Object.entries(e.responses)) {
    const mediaType = spec.contentType ?? 'application/json';
    responses[status] = {
      description: spec.description,
      ...(spec.headers
        ? {
            headers: Object.fromEntries(
              spec.headers.map((h) => [h, { schema: { type: 'string' } }]),
            ),
          }
        : {}),
      ...(spec.schema || spec.contentType
        ? {
            content: {
              [mediaType]: {
                schema: spec.schema
                  ? components.convert(spec.schema, 'output')
                  : { type: 'string' },
              },
            },
          }
        : {}),
    };
  }
  const codes = [...everywhere, ...(e.signedIn ? signedInProblems : []), ...e.problems];
  if (e.headers?.includes('Idempotency-Key')) codes.push('idempotency_key_reused', 'conflict');
  if (e.headers?.includes('If-Match')) codes.push('precondition_required', 'precondition_failed');
  if (e.body) codes.push('payload_too_large', 'unsupported_media_type');
  for (const code of codes) {
    const status = String(problemCodes[code]);
    const known = responses[status] as { description: string; codes?: string[] } | undefined;
    if (known?.codes) {
      if (!known.codes.includes(code)) known.codes.push(code);
      continue;
    }
    responses[status] = {
      description: 'A problem document (RFC 9457).',
      codes: [code],
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
    };
  }
  // `codes` is a working list; the document says it in the description.
  for (const response of Object.values(responses) as { description: string; codes?: string[] }[]) {
    if (response.codes) {
      response.description = `A problem document (RFC 9457), code ${response.codes.join(' or ')}.`;
      delete response.codes;
    }
  }
  return responses;
}

export function openApiDocument(endpoints: readonly Endpoint[], version: string) {
  const components = new Components();
  components.convert(problemSchema, 'output');
  const paths: Record<string, Record<string, unknown>> = {};
  for (const e of endpoints) {
    const path = openApiPath(e.path);
    paths[path] ??= {};
    paths[path][e.method] = {
      tags: [e.tag],
      summary: e.summary,
      ...(e.description ? { description: e.description } : {}),
      operationId: `${e.method}${path.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase())}`,
      ...(e.signedIn ? {} : { security: [] }),
      parameters: parametersOf(e, components),
      ...(e.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: components.convert(e.body, 'input') } },
            },
          }
        : {}),
      responses: responsesOf(e, components),
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Guideline Review Engine',
      version,
      description:
        'Carries each proposed guideline through drafting, tripartite review, revision and submission to a Governing Body. Errors are RFC 9457 problem documents with a stable `code`.',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    paths,
    components: {
      schemas: components.schemas,
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    },
  };
}
