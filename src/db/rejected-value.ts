// A value PostgreSQL refused: a data exception (SQLSTATE class 22: out of range, invalid text,
// a NUL byte, a datetime overflow) or a row that breaks a CHECK or NOT NULL constraint. Request
// validation is meant to stop these first; when one slips through it is still the request's fault,
// so the API answers 400 naming what it can (the column, or the field a constraint is named for)
// rather than a 500.

export interface RejectedValue {
  sqlstate: string;
  /** The column or the constrained field, when PostgreSQL names one. */
  field: string | null;
}

export function rejectedValue(error: unknown): RejectedValue | null {
  if (!error || typeof error !== 'object') return null;
  const { code, column, constraint, table } = error as Record<string, unknown>;
  if (typeof code !== 'string') return null;
  if (!code.startsWith('22') && code !== '23514' && code !== '23502') return null;
  let field = typeof column === 'string' ? column : null;
  if (!field && typeof constraint === 'string') {
    // PostgreSQL names a column check <table>_<column>_check.
    const prefix = typeof table === 'string' ? `${table}_` : '';
    field = constraint.replace(new RegExp(`^${prefix}`), '').replace(/_check$/, '');
  }
  return { sqlstate: code, field };
}
