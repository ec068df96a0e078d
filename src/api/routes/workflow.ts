import { workflowChart, workflowMermaid } from '../../machines/export.js';
import { verifyAuditChains } from '../../workflow/verify-audit.js';
import { authorize } from '../access.js';
import type { ApiDependencies } from '../dependencies.js';
import { endpoint } from '../endpoint.js';
import { auditReportSchema, workflowChartSchema } from '../schemas.js';

/** The statechart itself, and the audit trail's integrity check. */
export const workflowEndpoints = (deps: ApiDependencies) => [
  endpoint({
    method: 'get',
    path: '/api/v1/workflow',
    tag: 'workflow',
    summary: 'The guideline statechart as JSON',
    signedIn: true,
    responses: {
      200: { description: 'States, events, guards and effects.', schema: workflowChartSchema },
    },
    problems: [],
    handle(_input, _req, res) {
      res.json(workflowChart());
    },
  }),
  endpoint({
    method: 'get',
    path: '/api/v1/workflow.mmd',
    tag: 'workflow',
    summary: 'The guideline statechart as a Mermaid diagram',
    signedIn: true,
    responses: { 200: { description: 'A Mermaid stateDiagram-v2.', contentType: 'text/plain' } },
    problems: [],
    handle(_input, _req, res) {
      res.type('text/plain; charset=utf-8').send(workflowMermaid());
    },
  }),
  endpoint({
    method: 'get',
    path: '/api/v1/audit/verify',
    tag: 'audit',
    summary: 'Recompute every audit hash chain',
    description: 'Reports the first entry whose hash does not match, if any.',
    signedIn: true,
    responses: { 200: { description: 'The report.', schema: auditReportSchema } },
    problems: ['forbidden'],
    async handle({ user }, _req, res) {
      authorize(user, 'verify_audit');
      res.json(await verifyAuditChains(deps.db));
    },
  }),
];
