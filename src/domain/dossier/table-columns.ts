// The header row of each of the paper's tables, named once: the document model builds its tables
// with them, and the CSV of a table that has no rows still carries them.

export const tableColumns = {
  positions: ['Guideline', 'Round', 'Group', 'Position', 'Statement'],
  votes: [
    'Guideline',
    'Vote',
    'Group',
    'Members',
    'Weight per member',
    'Yes',
    'No',
    'Abstain',
    'Weighted yes',
    'Weighted no',
    'Weighted abstain',
  ],
  dispositions: ['Ref.', 'Guideline', 'Round', 'From', 'Para.', 'Comment', 'Disposition', 'Note'],
} as const satisfies Record<string, readonly string[]>;
