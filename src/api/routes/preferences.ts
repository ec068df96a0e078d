import { z } from 'zod';
import { changeMyPreferences, myPreferences } from '../../workflow/preferences.js';
import type { ApiDependencies } from '../dependencies.js';
import { endpoint } from '../endpoint.js';

// The caller's own delivery choices (SPEC section 5): per channel immediate, daily digest or off.

const choice = z.enum(['immediate', 'daily_digest', 'off']);
const language = z.enum(['en', 'fr', 'es']);
const preferencesSchema = z
  .strictObject({ email: choice, webhook: choice, language })
  .meta({ id: 'Preferences' });
const preferencesBody = z
  .strictObject({
    email: choice.optional(),
    webhook: choice.optional(),
    language: language.optional(),
  })
  .refine((b) => Object.keys(b).length > 0, 'name at least one of email, webhook, language');

export const preferenceEndpoints = (deps: ApiDependencies) => [
  endpoint({
    method: 'get',
    path: '/api/v1/me/preferences',
    tag: 'session',
    summary: 'Your delivery choices and language',
    description:
      'Per channel: `immediate`, `daily_digest` (one message a day with everything since the last) or `off`. The in-app inbox is always on. Messages are in `language` (en, fr, es).',
    signedIn: true,
    responses: { 200: { description: 'Your choices.', schema: preferencesSchema } },
    problems: [],
    async handle({ user }, _req, res) {
      res.json(await myPreferences(deps, user));
    },
  }),
  endpoint({
    method: 'put',
    path: '/api/v1/me/preferences',
    tag: 'session',
    summary: 'Change your delivery choices or language',
    description: 'The fields given change; the others stay as they were.',
    signedIn: true,
    body: preferencesBody,
    responses: { 200: { description: 'Your choices now.', schema: preferencesSchema } },
    problems: ['unsupported_media_type', 'payload_too_large'],
    async handle({ body, user }, _req, res) {
      res.json(await changeMyPreferences(deps, user, body));
    },
  }),
];
