import { describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/permissions.js';
import { command, text } from '../../src/workflow/events/command.js';
import {
  asSent,
  type EventDefinition,
  recordsNothing,
  writesNothing,
} from '../../src/workflow/events/definition.js';
import { commandBodyOf, eventDefinitions } from '../../src/workflow/events/index.js';
import { type GuidelineStanding, secretariat } from '../../src/workflow/who-may.js';

// What a developer writes for a new workflow event, shown with a made-up one: the secretariat
// "notes" a guideline with a remark. Beside this definition, the machine gets the event in
// machines/events.ts and a transition in machines/guideline.ts; the compiler then refuses to build
// until workflow/events/index.ts names its definition. Everything else is read off the definition.

type NoteEvent = { type: 'ADD_NOTE'; remark: string };

const addNote: EventDefinition<NoteEvent, ReturnType<typeof noteCommand>> = {
  command: noteCommand(),
  who: secretariat,
  facts: asSent,
  probe: async () => ({ type: 'ADD_NOTE', remark: 'stand-in text' }),
  writes: writesNothing,
  recorded: recordsNothing,
  entry: 'plain',
  audience: ['owner'],
  title: 'noted by the secretariat',
};

function noteCommand() {
  return command('ADD_NOTE', { remark: text });
}

// A definition that forgets who hears of the event does not compile (npm run typecheck checks it).
// @ts-expect-error audience and title are missing
const forgetful: EventDefinition<NoteEvent, ReturnType<typeof noteCommand>> = {
  command: noteCommand(),
  who: secretariat,
  facts: asSent,
  probe: async () => ({ type: 'ADD_NOTE', remark: 'stand-in text' }),
  writes: writesNothing,
  recorded: recordsNothing,
  entry: 'plain',
};

describe('a new workflow event, defined once', () => {
  const body = commandBodyOf({ ...eventDefinitions, ADD_NOTE: addNote });

  it('joins the request body of POST /guidelines/:id/events from its definition alone', () => {
    expect(body.parse({ type: 'ADD_NOTE', remark: ' check C181 ' })).toEqual({
      type: 'ADD_NOTE',
      remark: 'check C181',
    });
    // Its payload is checked as the definition says; the known events stay as they were.
    expect(body.safeParse({ type: 'ADD_NOTE' }).success).toBe(false);
    expect(body.safeParse({ type: 'ADD_NOTE', remark: 'x', role: 'secretariat' }).success).toBe(
      false,
    );
    expect(body.parse({ type: 'WITHDRAW', reason: 'merged' })).toEqual({
      type: 'WITHDRAW',
      reason: 'merged',
    });
  });

  it('answers "may I?" from its definition: the secretariat may, a drafter is told why not', () => {
    const standing: GuidelineStanding = {
      ownerId: 'someone',
      meetingId: null,
      actorIsMeetingMember: false,
      actorIsElector: null,
    };
    const staff: Actor = {
      kind: 'user',
      id: 's',
      role: 'secretariat',
      group: null,
      spokesperson: false,
    };
    expect(addNote.who(staff, standing)).toBeNull();
    expect(addNote.who({ ...staff, id: 'd', role: 'drafter' }, standing)).toBe(
      'only the secretariat may do this',
    );
    expect(addNote.who({ kind: 'system' }, standing)).toMatch(/system timer/);
    // The half-written definition still runs what it has; only the compiler holds it back.
    expect(forgetful.who(staff, standing)).toBeNull();
  });
});
