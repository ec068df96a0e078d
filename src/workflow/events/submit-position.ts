import { z } from 'zod';
import { stances } from '../../domain/vocabulary.js';
import { groupSpokesperson } from '../who-may.js';
import { command, standIn, text } from './command.js';
import { defineEvent, recordsNothing } from './definition.js';
import { storePosition } from './rows.js';

/** A group's spokesperson states the group's position in this round. */
export const submitPosition = defineEvent('SUBMIT_POSITION', {
  command: command('SUBMIT_POSITION', { stance: z.enum(stances), statement: text }),
  who: groupSpokesperson,
  async facts({ actor }, c) {
    // Permission is checked first: only a group's spokesperson gets here.
    if (actor.kind !== 'user' || !actor.group)
      throw new Error('a position needs an expert of a group');
    return { ...c, group: actor.group };
  },
  probe: async () => ({ type: 'SUBMIT_POSITION', stance: 'support' as const, statement: standIn }),
  writes: (ctx) => storePosition(ctx, ctx.event),
  recorded: recordsNothing,
  entry: 'sealed',
  // Positions are sealed: the secretariat hears that one came in, nobody else.
  audience: ['secretariat'],
  title: 'a group position was received',
});
