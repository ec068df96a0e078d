import { initialTransition, type SnapshotFrom } from 'xstate';
import type { GuidelineState } from '../domain/vocabulary.js';
import { type GuidelineInput, guidelineMachine, MACHINE_VERSION } from './guideline.js';

// Turning the machine's snapshots into stored JSON and back. Pure.

export type GuidelineSnapshot = SnapshotFrom<typeof guidelineMachine>;
export type StoredSnapshot = Record<string, unknown>;

export class UnsupportedMachineVersion extends Error {
  constructor(readonly storedVersion: number) {
    super(
      `this guideline was stored by workflow version ${storedVersion}, which this server (version ${MACHINE_VERSION}) cannot run`,
    );
    this.name = 'UnsupportedMachineVersion';
  }
}

export function initialSnapshot(input: GuidelineInput): GuidelineSnapshot {
  return initialTransition(guidelineMachine, input)[0];
}

export function persistSnapshot(snapshot: GuidelineSnapshot): StoredSnapshot {
  // A JSON round trip gives exactly what the database will hand back.
  return JSON.parse(JSON.stringify(guidelineMachine.getPersistedSnapshot(snapshot)));
}

/**
 * Resolves a stored snapshot. Older machine versions are migrated here, one step at a time, as the
 * machine evolves; a version this code does not know is refused rather than guessed at.
 */
export function restoreSnapshot(stored: StoredSnapshot, machineVersion: number): GuidelineSnapshot {
  if (machineVersion !== MACHINE_VERSION) throw new UnsupportedMachineVersion(machineVersion);
  const { value, context } = stored as Pick<GuidelineSnapshot, 'value' | 'context'>;
  return guidelineMachine.resolveState({ value, context });
}

/** The top-level state name (the parallel consultation state reports as 'consultation'). */
export function topState(snapshot: Pick<GuidelineSnapshot, 'value'>): GuidelineState {
  const { value } = snapshot;
  return (typeof value === 'string' ? value : Object.keys(value)[0]) as GuidelineState;
}
