import { Router } from 'express';
import { workflowChart, workflowMermaid } from '../../machines/export.js';
import { verifyAuditChains } from '../../workflow/verify-audit.js';
import type { ApiDependencies } from '../app.js';
import { authenticate } from '../auth/authenticate.js';
import { HttpProblem } from '../problem.js';

/** The statechart itself, and the audit trail's integrity check. */
export function workflowRoutes(deps: ApiDependencies): Router {
  const router = Router();
  const signedIn = authenticate(deps);
  router.get('/api/v1/workflow', signedIn, (_req, res) => {
    res.json(workflowChart());
  });
  router.get('/api/v1/workflow.mmd', signedIn, (_req, res) => {
    res.type('text/plain; charset=utf-8').send(workflowMermaid());
  });
  router.get('/api/v1/audit/verify', signedIn, async (_req, res) => {
    if (res.locals.user.role !== 'secretariat') {
      throw new HttpProblem({
        code: 'forbidden',
        title: 'Forbidden',
        detail: 'Only the secretariat verifies the audit trail.',
      });
    }
    res.json(await verifyAuditChains(deps.db));
  });
  return router;
}
