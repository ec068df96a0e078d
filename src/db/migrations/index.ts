import type { Migration, MigrationProvider } from 'kysely/migration';
import * as initial from './20261128_0001_initial.js';
import * as decisions from './20261129_0002_decisions.js';
import * as auditHead from './20261129_0003_audit_head.js';
import * as loginThrottle from './20261129_0004_login_throttle.js';
import * as commentsByTime from './20261129_0005_comments_by_time.js';
import * as tokenEpoch from './20261202_11a_token_epoch.js';
import * as stream from './20261202_12b_stream.js';
import * as dossierVersions from './20261202_1301_dossier_versions.js';
import * as consultedRound from './20261203_10a_consulted_round.js';
import * as idempotentOutcome from './20261203_11b_idempotent_outcome.js';
import * as oneVoicePerRound from './20261203_11b_one_voice_per_round.js';
import * as recordChainHeads from './20261203_11b_record_chain_heads.js';
import * as deliveries from './20261203_12c_deliveries.js';
import * as timers from './20261204_12d_timers.js';
import * as streamPublication from './20261205_10b_stream_publication.js';
import * as dossierBuildJobs from './20261205_13b_dossier_build_jobs.js';
import * as sessionPaper from './20261205_13c_session_paper.js';
import * as commentAttribution from './20261205_13d_comment_attribution.js';
import * as publishInOneStatement from './20261206_10c_publish_in_one_statement.js';

// A static list: what runs is what was compiled, never whatever files happen to be on disk.
export const migrations: Readonly<Record<string, Migration>> = {
  '20261128_0001_initial': initial,
  '20261129_0002_decisions': decisions,
  '20261129_0003_audit_head': auditHead,
  '20261129_0004_login_throttle': loginThrottle,
  '20261129_0005_comments_by_time': commentsByTime,
  '20261202_11a_token_epoch': tokenEpoch,
  '20261202_12b_stream': stream,
  '20261202_1301_dossier_versions': dossierVersions,
  '20261203_10a_consulted_round': consultedRound,
  '20261203_11b_idempotent_outcome': idempotentOutcome,
  '20261203_11b_one_voice_per_round': oneVoicePerRound,
  '20261203_11b_record_chain_heads': recordChainHeads,
  '20261203_12c_deliveries': deliveries,
  '20261204_12d_timers': timers,
  '20261205_10b_stream_publication': streamPublication,
  '20261205_13b_dossier_build_jobs': dossierBuildJobs,
  '20261205_13c_session_paper': sessionPaper,
  '20261205_13d_comment_attribution': commentAttribution,
  '20261206_10c_publish_in_one_statement': publishInOneStatement,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => ({ ...migrations }),
};
