import { auditHead } from '../../workflow/audit-head.js';
import { verifyAuditChains } from '../../workflow/verify-audit.js';
import { authorize } from '../access.js';
import type { ApiDependencies } from '../dependencies.js';
import { endpoint } from '../endpoint.js';
import { auditHeadSchema, auditReportSchema } from '../schemas.js';

/** The audit trail's integrity: the check of every chain, and the digest of where they all end. */
export const auditEndpoints = (deps: ApiDependencies) => [
  endpoint({
    method: 'get',
    path: '/api/v1/audit/verify',
    tag: 'audit',
    summary: 'Recompute every audit hash chain',
    description:
      'Reports the first entry whose hash does not match, or a chain that no longer ends at the head its record keeps (entries deleted), if any.',
    signedIn: true,
    responses: { 200: { description: 'The report.', schema: auditReportSchema } },
    problems: ['forbidden'],
    async handle({ user }, _req, res) {
      authorize(user, 'verify_audit');
      res.json(await verifyAuditChains(deps.db));
    },
  }),
  endpoint({
    method: 'get',
    path: '/api/v1/audit/head',
    tag: 'audit',
    summary: 'A digest of every audit chain head, to keep outside the system',
    description:
      'The SHA-256 (hex) of one line "<chain> <seq> <hash>\\n" per chain (guidelines, users, meetings, Governing Body sessions), chains in code-point order, taken from the entries as stored. Keep it elsewhere: a later digest that differs while nothing was done meanwhile means the past was rewritten.',
    signedIn: true,
    responses: { 200: { description: 'The heads and their digest.', schema: auditHeadSchema } },
    problems: ['forbidden'],
    async handle({ user }, _req, res) {
      authorize(user, 'verify_audit');
      res.json(await auditHead(deps.db));
    },
  }),
];
