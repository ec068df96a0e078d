import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import type { StreamEventRow } from '../../src/db/stream-events.js';
import { frame, mayReceive } from '../../src/notifications/stream/messages.js';

// Who receives a stream row, and its framing, without a database.

const owner = '00000000-0000-4000-8000-000000000001';
const reader = (role: 'secretariat' | 'drafter' | 'expert' | 'observer', id = owner) => ({
  id,
  role,
  active: true,
});
const row = (overrides: Partial<StreamEventRow>): StreamEventRow => ({
  id: 7,
  kind: 'guideline',
  guideline_id: '00000000-0000-4000-8000-0000000000aa',
  recipient_id: null,
  owner_id: owner,
  consulted_round: 0,
  payload: { id: 'g', state: 'drafting' },
  created_at: new Date(0),
  ...overrides,
});
const someoneElse = '00000000-0000-4000-8000-000000000002';

describe('who receives a stream message', () => {
  it('a draft goes to its owner and the secretariat only', () => {
    const draft = row({});
    expect(mayReceive(reader('drafter'), draft)).toBe(true);
    expect(mayReceive(reader('secretariat', someoneElse), draft)).toBe(true);
    expect(mayReceive(reader('drafter', someoneElse), draft)).toBe(false);
    expect(mayReceive(reader('expert', someoneElse), draft)).toBe(false);
    expect(mayReceive(reader('observer', someoneElse), draft)).toBe(false);
  });

  it('a guideline once consulted goes to every reader', () => {
    const consulted = row({ consulted_round: 1 });
    for (const role of ['drafter', 'expert', 'observer', 'secretariat'] as const) {
      expect(mayReceive(reader(role, someoneElse), consulted)).toBe(true);
    }
  });

  it('a notification goes to its recipient alone, whatever their role', () => {
    const note = row({ kind: 'notification', recipient_id: owner, owner_id: null });
    expect(mayReceive(reader('expert'), note)).toBe(true);
    expect(mayReceive(reader('secretariat', someoneElse), note)).toBe(false);
  });

  it('nothing goes to an inactive reader', () => {
    expect(mayReceive({ ...reader('secretariat'), active: false }, row({}))).toBe(false);
  });
});

describe('framing', () => {
  it('is one SSE message with the row id, kind and one-line JSON data', () => {
    const text = frame(row({ payload: { text: 'two\nlines' } }));
    expect(text).toBe('id: 7\nevent: guideline\ndata: {"text":"two\\nlines"}\n\n');
  });
});

describe('the heartbeat setting', () => {
  it('defaults to 15 seconds and accepts fractions for tests', () => {
    expect(loadConfig({}).stream.heartbeatMs).toBe(15_000);
    expect(loadConfig({ STREAM_HEARTBEAT_SECONDS: '0.05' }).stream.heartbeatMs).toBe(50);
    expect(() => loadConfig({ STREAM_HEARTBEAT_SECONDS: '0' })).toThrow(/STREAM_HEARTBEAT_SECONDS/);
  });
});
