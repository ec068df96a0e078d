import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { RequestHandler } from 'express';

// Checks every answer of the app under test against its own OpenAPI document: the status must be
// documented for the operation, and a JSON body must match the documented schema.

type Document = {
  paths: Record<
    string,
    Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>
  >;
};

const documentId = 'https://guideline-review-engine.test/openapi.json';
const pointer = (...parts: string[]) =>
  parts.map((p) => p.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');

export function responseChecker(openApi: object) {
  const document = openApi as Document;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  (addFormats as unknown as (a: Ajv2020) => void)(ajv);
  ajv.addSchema(document as object, documentId);
  const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({
      path,
      method: method.toUpperCase(),
      pattern: new RegExp(`^${path.replace(/\{\w+\}/g, '[^/]+').replaceAll('.', '\\.')}$`),
      operation,
    })),
  );
  const violations: string[] = [];

  const check = (
    method: string,
    path: string,
    status: number,
    type: string,
    body?: { value: unknown },
  ) => {
    if (path.startsWith('/docs') || path === '/openapi.json') return;
    const found = operations.find((o) => o.method === method && o.pattern.test(path));
    const where = `${method} ${path} → ${status}`;
    if (!found) {
      // Only the catch-all 404 answers outside the document, and a method a documented path does
      // not have: 405 (204 to OPTIONS) with Allow, or 400 when the path is not even decodable.
      const pathKnown = operations.some((o) => o.pattern.test(path));
      const allowed =
        status === 404 || (pathKnown && (status === 405 || status === 400 || method === 'OPTIONS'));
      if (!allowed) violations.push(`${where}: no such operation in the document`);
      return;
    }
    const response = found.operation.responses[String(status)];
    if (!response) {
      violations.push(`${where}: status not documented for ${found.method} ${found.path}`);
      return;
    }
    const mediaType = type.split(';')[0]?.trim() ?? '';
    // A response documented without a body (204) and answered without one.
    if (!response.content && mediaType === '') return;
    if (!response.content?.[mediaType]) {
      violations.push(`${where}: ${mediaType} not documented`);
      return;
    }
    if (!mediaType.endsWith('json') || !body) return;
    const ref = `${documentId}#/${pointer('paths', found.path, found.method.toLowerCase(), 'responses', String(status), 'content', mediaType, 'schema')}`;
    const validate = ajv.getSchema(ref);
    if (!validate) {
      violations.push(`${where}: schema ${ref} not found`);
    } else if (!validate(body.value)) {
      violations.push(
        `${where}: ${ajv.errorsText(validate.errors)} in ${JSON.stringify(body.value).slice(0, 300)}`,
      );
    }
  };

  const middleware: RequestHandler = (req, res, next) => {
    // CORS preflights are the browser's business, not operations of the API.
    if (req.method === 'OPTIONS') return next();
    // Routers rewrite req.path under their mount point; the original URL is what the client asked.
    const path = req.originalUrl.split('?')[0] ?? '';
    const json = res.json.bind(res);
    let checked = false;
    res.json = (body: unknown) => {
      checked = true;
      const type = String(res.get('content-type') ?? 'application/json');
      check(req.method, path, res.statusCode, type, {
        value: JSON.parse(JSON.stringify(body)),
      });
      return json(body);
    };
    res.on('finish', () => {
      if (!checked) check(req.method, path, res.statusCode, String(res.get('content-type') ?? ''));
    });
    next();
  };
  return { middleware, violations };
}
