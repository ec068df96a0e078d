import { listSections } from '../../workflow/sections.js';
import type { ApiDependencies } from '../dependencies.js';
import { endpoint } from '../endpoint.js';
import { listOf, sectionSchema } from '../schemas.js';

/** The framework's sections: the slugs a guideline may name as its `section`. */
export const sectionEndpoints = (deps: ApiDependencies) => [
  endpoint({
    method: 'get',
    path: '/api/v1/sections',
    tag: 'guidelines',
    summary: 'The framework sections a guideline may belong to, in order',
    signedIn: true,
    responses: { 200: { description: 'Every section.', schema: listOf(sectionSchema) } },
    problems: [],
    async handle(_input, _req, res) {
      res.json({ items: await listSections(deps.db), nextCursor: null });
    },
  }),
];
