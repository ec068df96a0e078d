import cors from 'cors';
import express from 'express';
import type { ApiDependencies } from './dependencies.js';
import { docsRoutes } from './docs.js';
import { type Endpoint, methodNotAllowed, mount } from './endpoint.js';
import { healthEndpoints } from './health.js';
import { idempotentOutcomeObserver } from './idempotency.js';
import { openApiDocument } from './openapi.js';
import { errorHandler, notFound } from './problem.js';
import { requestLog } from './request-log.js';
import { auditEndpoints } from './routes/audit.js';
import { clockEndpoints } from './routes/clock.js';
import { commentEndpoints } from './routes/comments.js';
import { consultationEndpoints } from './routes/consultation.js';
import { deliveryEndpoints } from './routes/deliveries.js';
import { dossierEndpoints } from './routes/dossier.js';
import { gbSessionEndpoints } from './routes/gb-sessions.js';
import { guidelineCollectionEndpoints } from './routes/guideline-collection.js';
import { guidelineRecordEndpoints } from './routes/guideline-record.js';
import { answerWithGuideline } from './routes/guideline-view.js';
import { guidelineEndpoints } from './routes/guidelines.js';
import { meetingEndpoints } from './routes/meetings.js';
import { notificationEndpoints } from './routes/notifications.js';
import { preferenceEndpoints } from './routes/preferences.js';
import { sectionEndpoints } from './routes/sections.js';
import { sessionEndpoints } from './routes/session.js';
import { streamEndpoints } from './routes/stream.js';
import { userEndpoints } from './routes/users.js';
import { workflowEndpoints } from './routes/workflow.js';
import { securityHeaders } from './security-headers.js';

export const apiVersion = '1.0.0';

/** Every endpoint the API serves, in the order the documentation lists them. */
export function endpoints(deps: ApiDependencies): Endpoint[] {
  return [
    ...sessionEndpoints(deps),
    ...userEndpoints(deps),
    ...meetingEndpoints(deps),
    ...gbSessionEndpoints(deps),
    ...sectionEndpoints(deps),
    ...clockEndpoints(deps),
    ...dossierEndpoints(deps),
    ...guidelineCollectionEndpoints(deps),
    ...guidelineEndpoints(deps),
    ...guidelineRecordEndpoints(deps),
    ...commentEndpoints(deps),
    ...consultationEndpoints(deps),
    ...auditEndpoints(deps),
    ...workflowEndpoints(),
    ...streamEndpoints(deps),
    ...preferenceEndpoints(deps),
    ...notificationEndpoints(deps),
    ...deliveryEndpoints(deps),
    ...healthEndpoints(deps.db, deps.logger),
  ];
}

export function createApp(given: ApiDependencies): express.Express {
  // Every event sent under an Idempotency-Key records so on its key, in its own transaction.
  const deps: ApiDependencies = {
    ...given,
    observers: [...(given.observers ?? []), idempotentOutcomeObserver],
  };
  const http = deps.http ?? { corsOrigins: [], trustProxy: false };
  const table = endpoints(deps);
  const document = openApiDocument(table, apiVersion);

  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.set('trust proxy', http.trustProxy);
  app.use(requestLog(deps.logger));
  app.use(securityHeaders());
  // After helmet: the docs page replaces only the content security policy, keeping the rest.
  app.use(docsRoutes());
  if (http.corsOrigins.length > 0) {
    app.use(
      cors({
        origin: http.corsOrigins.includes('*') ? '*' : [...http.corsOrigins],
        allowedHeaders: [
          'Authorization',
          'Content-Type',
          'If-Match',
          'Idempotency-Key',
          'X-Request-Id',
        ],
        exposedHeaders: ['ETag', 'Location', 'Retry-After', 'X-Request-Id', 'Idempotent-Replayed'],
        maxAge: 600,
      }),
    );
  }
  app.get('/openapi.json', (_req, res) => {
    res.json(document);
  });
  app.use(mount(deps, table, answerWithGuideline(deps)));
  app.use(methodNotAllowed(table));
  app.use(notFound);
  app.use(errorHandler(deps.logger));
  return app;
}
