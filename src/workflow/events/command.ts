import { z } from 'zod';

// The pieces events' request bodies are made of (SPEC section 2): nothing else is accepted.

/** A body `{ type, …shape }` and nothing more. */
export const command = <T extends string, Shape extends z.ZodRawShape>(type: T, shape: Shape) =>
  z.strictObject({ type: z.literal(type), ...shape });

/** What a person types: a reason, a summary, instructions, a statement. */
export const text = z.string().trim().min(1).max(10_000);
export const id = z.uuid();

/** What probes type for a person, to ask the machine whether the rest would hold. */
export const standIn = 'stand-in text';
