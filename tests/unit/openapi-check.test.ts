import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { endpoint } from '../../src/api/endpoint.js';
import { openApiDocument } from '../../src/api/openapi.js';
import { responseChecker } from '../helpers/openapi-check.js';

// The integration tests trust this checker to catch an answer that breaks the document; here it
// must catch one.

const doc = openApiDocument(
  [
    endpoint({
      method: 'get',
      path: '/api/v1/things/:id',
      tag: 'things',
      summary: 'A thing',
      signedIn: true,
      params: z.strictObject({ id: z.uuid() }),
      responses: {
        200: { description: 'it', schema: z.strictObject({ id: z.uuid(), n: z.number().int() }) },
      },
      problems: ['not_found'],
      handle() {},
    }),
  ],
  'test',
);

function answer(status: number, body: unknown, type = 'application/json') {
  const { middleware, violations } = responseChecker(doc);
  const headers: Record<string, string> = { 'content-type': type };
  const res = {
    statusCode: status,
    json: (_b: unknown) => res,
    get: (name: string) => headers[name.toLowerCase()],
    on: () => res,
  };
  const req = { method: 'GET', originalUrl: '/api/v1/things/1?x=1' };
  middleware(req as never, res as never, () => {});
  res.json(body);
  return violations;
}

describe('the response checker', () => {
  it('accepts an answer that matches the document', () => {
    expect(answer(200, { id: '6f1c1f9e-3b1a-4c1e-9a4b-2d0c8b8e7a10', n: 3 })).toEqual([]);
    expect(
      answer(
        404,
        { type: 'about:blank', status: 404, code: 'not_found', title: 'Not found' },
        'application/problem+json',
      ),
    ).toEqual([]);
  });

  it('catches a wrong field, an extra field and an undocumented status', () => {
    expect(answer(200, { id: 'not-a-uuid', n: 3 })).toHaveLength(1);
    expect(
      answer(200, { id: '6f1c1f9e-3b1a-4c1e-9a4b-2d0c8b8e7a10', n: 3, secret: 'x' }),
    ).toHaveLength(1);
    expect(
      answer(
        409,
        { type: 'about:blank', status: 409, code: 'conflict', title: 'x' },
        'application/problem+json',
      ),
    ).toHaveLength(1);
  });
});
