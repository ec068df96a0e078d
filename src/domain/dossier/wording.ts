import type { Disposition, Group, Role, Stance, VoteResult } from '../vocabulary.js';

// The words the paper uses for the record's values, and its dates, written out the way a
// Governing Body paper writes them. Dates are read in UTC so a build never depends on the host.

const months = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

export const monthYear = (d: Date) => `${months[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
export const longDate = (d: Date) => `${d.getUTCDate()} ${monthYear(d)}`;

/** 294 → `294th`; 1 → `1st`; 12 → `12th`. */
export function ordinal(n: number): string {
  const teen = n % 100 >= 11 && n % 100 <= 13;
  const suffix = teen ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10];
  return `${n}${suffix ?? 'th'}`;
}

export const groupName: Record<Group, string> = {
  government: 'Government group',
  employers: "Employers' group",
  workers: "Workers' group",
};

export const stanceName: Record<Stance, string> = {
  support: 'Support',
  support_with_reservations: 'Support with reservations',
  oppose: 'Oppose',
};

export const dispositionName: Record<Disposition, string> = {
  accepted: 'Accepted',
  partially_accepted: 'Partially accepted',
  not_accepted: 'Not accepted',
  noted: 'Noted',
};

export const resultName: Record<VoteResult, string> = {
  passed: 'passed',
  failed: 'failed',
  no_quorum: 'no quorum',
};

/** Who made a comment, by role and group: the paper names no one. */
export function authorName(role: Role, group: Group | null): string {
  if (role === 'expert') return group ? `Expert, ${groupName[group]}` : 'Expert';
  return { drafter: 'Office', observer: 'Observer', secretariat: 'Secretariat' }[role];
}

/** `1`, `1 and 2`, `1, 2 and 3`. */
export function listed(items: readonly (string | number)[]): string {
  const words = items.map(String);
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}

/** `no guidelines`, `1 guideline`, `2,000 comments`. */
export const plural = (n: number, one: string, many = `${one}s`) =>
  `${n === 0 ? 'no' : n.toLocaleString('en-GB')} ${n === 1 ? one : many}`;
