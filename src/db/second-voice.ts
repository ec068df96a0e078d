// The refusal of the unique index that gives each person one voice per guideline and round
// (migration 20261203_11b_one_voice_per_round): recognised by SQLSTATE and the index's name.

export const oneVoiceIndex = 'positions_one_voice_per_round';

/** Whether the database refused a position because its author already stated one this round. */
export function isSecondVoice(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const { code, constraint } = error as Record<string, unknown>;
  return code === '23505' && constraint === oneVoiceIndex;
}
