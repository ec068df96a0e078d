import type { Kysely, Transaction } from 'kysely';
import type { z } from 'zod';
import type { Database, GuidelineRow } from '../../db/schema.js';
import type { Actor } from '../../domain/permissions.js';
import type { EventOf, GuidelineEventType } from '../../machines/events.js';
import type { GuidelineSnapshot } from '../../machines/snapshot.js';
import type { Audience } from '../../notifications/inbox.js';
import type { WhoMay } from '../who-may.js';

// What defines one workflow event, in one place: what the sender sends, who may send it, the facts
// its guards need, the rows it writes, who hears of it. The command type, the request schema, the
// "why can't I act?" probe, permissions and notifications are all read off these definitions, and
// every field is required, so an event with a missing piece does not compile.

/** The facts an event's guards need are read with these (inside the event's transaction). */
export interface FactsContext {
  db: Kysely<Database>;
  now: Date;
  row: GuidelineRow;
  snapshot: GuidelineSnapshot;
  actor: Actor;
}

/** Rows an event writes are written with these, after its transition was taken. */
export interface WriteContext<E> {
  trx: Transaction<Database>;
  /** The guideline row as it was before the event. */
  row: GuidelineRow;
  next: GuidelineSnapshot;
  event: E;
  /** null for the system timer. */
  actorId: string | null;
  now: Date;
}

/** A command's request body: a strict object whose `type` is the event's name. */
export type CommandSchema<T extends string = string> = z.ZodType<{ type: T }> & z.ZodObject;

/** Why a stand-in command could not be made ("no meeting of experts is open"). */
export interface ProbeRefusal {
  refusal: string;
}

export interface EventDefinition<
  E extends { type: string },
  S extends CommandSchema = CommandSchema,
> {
  /** What the sender sends: `{ type, …payload }` (a strict object). */
  command: S;
  /** Who may send it (src/workflow/who-may.ts). */
  who: WhoMay;
  /** The machine's event: the command with the facts its guards read. */
  facts(ctx: FactsContext, command: z.output<S>): Promise<E>;
  /** A command as the caller might send it, for "why can't I act?"; or why none can be made. */
  probe(ctx: { db: Kysely<Database>; now: Date }): Promise<z.output<S> | ProbeRefusal>;
  /** The rows the event writes beside the guideline row, each a plain statement on `trx`. */
  writes(ctx: WriteContext<E>): Promise<void>;
  /** What the audit entry keeps besides the command's payload (a closed vote's result). */
  recorded(event: E): Record<string, unknown>;
  /**
   * What readers of the record must know of its audit entry: `sealed`, hidden as the position it
   * records is until the round's sealing lifts; `submission`, it froze the text as a revision (the
   * dossier cites it); `plain` otherwise.
   */
  entry: 'plain' | 'sealed' | 'submission';
  /** Who hears of it in the inbox (never the actor). */
  audience: readonly Audience[];
  /** The notification's title, after the guideline's own. */
  title: string;
}

/** One guideline event's definition, checked on its own against the machine's event of that name. */
export function defineEvent<T extends GuidelineEventType, S extends CommandSchema<T>>(
  _type: T,
  definition: EventDefinition<EventOf<T>, S>,
): EventDefinition<EventOf<T>, S> {
  return definition;
}

/** For the many events whose guards need nothing beyond what was sent. */
export const asSent = async <C>(_ctx: FactsContext, command: C) => command;
export const writesNothing = async () => {};
export const recordsNothing = () => ({});

export const isRefusal = (probed: { type: string } | ProbeRefusal): probed is ProbeRefusal =>
  !('type' in probed);
