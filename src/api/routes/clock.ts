import { z } from 'zod';
import { RecordConflict } from '../../workflow/errors.js';
import { authorize } from '../access.js';
import type { ApiDependencies } from '../dependencies.js';
import { endpoint } from '../endpoint.js';

// The clock every deadline is read against (SPEC section 5): the scenario clock of a demo, which
// the secretariat moves forward to let time act, or system time.

const tenYears = 10 * 366 * 86_400;
const advanceBody = z.strictObject({
  seconds: z.number().int('a whole number of seconds').min(1).max(tenYears),
});
const timerSchema = z.strictObject({
  kind: z.enum([
    'consultation_deadline',
    'consultation_reminder',
    'vote_deadline',
    'vote_reminder',
    'gb_document_reminder',
  ]),
  guidelineId: z.uuid().nullable(),
  gbSessionId: z.uuid().nullable(),
  dueAt: z.iso.datetime(),
});
const clockSchema = z
  .strictObject({
    now: z.iso.datetime(),
    scenario: z.boolean().describe('A scenario clock (CLOCK_START), which can be advanced.'),
    startedFrom: z.iso.datetime().nullable(),
    upcoming: z
      .array(timerSchema.extend({ offsetBefore: z.string().nullable() }))
      .describe('The next deadlines and reminders (the secretariat only; empty for others).'),
  })
  .meta({ id: 'Clock' });
const advancedSchema = z
  .strictObject({
    now: z.iso.datetime(),
    fired: z.array(timerSchema.extend({ outcome: z.string() })),
  })
  .meta({ id: 'ClockAdvanced' });

export const clockEndpoints = (deps: ApiDependencies) => [
  endpoint({
    method: 'get',
    path: '/api/v1/clock',
    tag: 'clock',
    summary: 'What time it is for the workflow, and what is due next',
    signedIn: true,
    responses: { 200: { description: 'The clock.', schema: clockSchema } },
    problems: [],
    async handle({ user }, _req, res) {
      const scenario = deps.timers?.scenario;
      const upcoming =
        user.role === 'secretariat' && deps.timers ? await deps.timers.upcoming(20) : [];
      res.json({
        now: deps.clock.now().toISOString(),
        scenario: scenario !== undefined,
        startedFrom: scenario ? scenario.start.toISOString() : null,
        upcoming: upcoming.map((t) => ({
          kind: t.kind,
          guidelineId: t.guideline_id,
          gbSessionId: t.gb_session_id,
          dueAt: new Date(t.due_at).toISOString(),
          offsetBefore: t.offset_before,
        })),
      });
    },
  }),
  endpoint({
    method: 'post',
    path: '/api/v1/clock/advance',
    tag: 'clock',
    summary: 'Move the scenario clock forward; what became due fires (secretariat)',
    description:
      'Only with a scenario clock (CLOCK_START; the embedded demo has one by default): 409 on system time. Deadlines and reminders due by the new time fire before the answer, earliest first.',
    signedIn: true,
    body: advanceBody,
    responses: { 200: { description: 'The new time and what fired.', schema: advancedSchema } },
    problems: ['forbidden', 'conflict', 'unsupported_media_type', 'payload_too_large'],
    async handle({ body, user }, _req, res) {
      authorize(user, 'move_clock');
      if (!deps.timers?.scenario) {
        throw new RecordConflict(
          'The server runs on system time; only a scenario clock (CLOCK_START) can be advanced.',
        );
      }
      const { now, fired } = await deps.timers.advance(body.seconds);
      res.json({
        now: now.toISOString(),
        fired: fired.map((t) => ({
          kind: t.kind,
          guidelineId: t.guidelineId,
          gbSessionId: t.gbSessionId,
          dueAt: t.dueAt.toISOString(),
          outcome: t.outcome,
        })),
      });
    },
  }),
];
