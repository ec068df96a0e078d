import type { Group, Role } from '../src/domain/vocabulary.js';

// The demo scenario: the Office's draft guidelines of a multilateral framework on labour migration,
// examined by a Tripartite Meeting of Experts (Geneva, 31 October – 2 November 2005) and submitted
// to the Governing Body at its 294th Session (November 2005). People and texts are invented for the
// demo; dates and the shape of the process follow the public record. Every account's password is
// DEMO_PASSWORD.

export interface SeedAccount {
  email: string;
  name: string;
  role: Role;
  group?: Group;
  spokesperson?: boolean;
  organisation?: string;
}

const memberStates = [
  'Philippines',
  'Morocco',
  'Mexico',
  'Italy',
  'Senegal',
  'Sri Lanka',
  'Canada',
  'Egypt',
  'Indonesia',
  'Spain',
  'South Africa',
  'Thailand',
] as const;

const groupLabels: Record<Group, { prefix: string; noun: string; spokesperson: string }> = {
  government: { prefix: 'gov', noun: 'Government expert', spokesperson: 'Government spokesperson' },
  employers: {
    prefix: 'emp',
    noun: "Employers' expert",
    spokesperson: 'Employer Vice-Chairperson',
  },
  workers: { prefix: 'wkr', noun: "Workers' expert", spokesperson: 'Worker Vice-Chairperson' },
};

/** Twelve experts per group; the first of each group speaks for it. */
function experts(group: Group): SeedAccount[] {
  const label = groupLabels[group];
  return memberStates.map((country, index) => ({
    email: `${label.prefix}${String(index + 1).padStart(2, '0')}@example.org`,
    name: index === 0 ? `${label.spokesperson} (${country})` : `${label.noun} (${country})`,
    role: 'expert',
    group,
    spokesperson: index === 0,
  }));
}

export const accounts: readonly SeedAccount[] = [
  { email: 'secretariat@example.org', name: 'Secretariat of the Meeting', role: 'secretariat' },
  { email: 'gb.secretariat@example.org', name: 'Governing Body Secretariat', role: 'secretariat' },
  { email: 'chair@example.org', name: 'Chairperson of the Meeting', role: 'secretariat' },
  {
    email: 'drafter1@example.org',
    name: 'Drafter, MIGRANT (recruitment and protection)',
    role: 'drafter',
    organisation: 'ILO MIGRANT',
  },
  {
    email: 'drafter2@example.org',
    name: 'Drafter, MIGRANT (knowledge base and cooperation)',
    role: 'drafter',
    organisation: 'ILO MIGRANT',
  },
  {
    email: 'drafter3@example.org',
    name: 'Drafter, MIGRANT (integration and development)',
    role: 'drafter',
    organisation: 'ILO MIGRANT',
  },
  ...experts('government'),
  ...experts('employers'),
  ...experts('workers'),
  {
    email: 'observer.iom@example.org',
    name: 'Observer, International Organization for Migration',
    role: 'observer',
    organisation: 'IOM',
  },
  {
    email: 'observer.unhcr@example.org',
    name: 'Observer, Office of the UN High Commissioner for Refugees',
    role: 'observer',
    organisation: 'UNHCR',
  },
  {
    email: 'observer.ohchr@example.org',
    name: 'Observer, Office of the UN High Commissioner for Human Rights',
    role: 'observer',
    organisation: 'OHCHR',
  },
];

export const meeting = {
  name: 'Tripartite Meeting of Experts on the ILO Multilateral Framework on Labour Migration',
  venue: 'Geneva',
  startsAt: '2005-10-31T08:00:00Z',
  endsAt: '2005-11-02T17:00:00Z',
  votingRule: 'weighted_majority',
  requiredMajority: 'simple',
  quorum: 0.5,
  requireEachGroup: true,
  ballot: 'open',
  maxRounds: 3,
  consultationDeadline: '2005-10-28T17:00:00Z',
  voteDeadline: '2005-11-02T15:00:00Z',
  chairpersonEmail: 'chair@example.org',
  /** All experts sit on the meeting; observers follow it without a vote. */
  memberRoles: ['expert', 'observer'] as Role[],
} as const;

export const gbSession = {
  number: 294,
  name: '294th Session of the Governing Body',
  venue: 'Geneva',
  startsAt: '2005-11-03T08:00:00Z',
  endsAt: '2005-11-18T17:00:00Z',
  documentDeadline: '2005-11-08T17:00:00Z',
};

export interface SeedGuideline {
  ownerEmail: string;
  section: string;
  title: string;
  paragraphs: string[];
  references: string[];
}

export const guidelines: readonly SeedGuideline[] = [
  {
    ownerEmail: 'drafter1@example.org',
    section: 'migration-process',
    title: 'Licensing and supervision of recruitment and placement services',
    references: ['C181', 'R188', 'C97'],
    paragraphs: [
      'Governments should establish a system of licensing or certification for private recruitment and placement services that place workers abroad, in consultation with the most representative organizations of employers and workers.',
      'Recruitment services should not charge fees or costs, directly or indirectly, in whole or in part, to the migrant workers they place; exceptions should be set by law, be narrow and be published.',
      'Contracts of employment should be made available to the migrant worker in a language the worker understands before departure, and should not be replaced on arrival by less favourable terms.',
      'Complaints against recruitment services should be investigated promptly, and services found to have engaged in fraudulent or abusive practices should lose their licence and face penalties.',
    ],
  },
  {
    ownerEmail: 'drafter1@example.org',
    section: 'protection',
    title: 'Protection of women migrant workers',
    references: ['C97', 'C143', 'C111', 'ICRMW-1990'],
    paragraphs: [
      'Labour migration policies should take into account the particular situation of women migrant workers, including their concentration in sectors such as domestic work and care, where labour protection is often weakest.',
      'Labour inspection and complaint mechanisms should reach workplaces where women migrant workers are employed, including private households, with due respect for privacy.',
      'Measures should be taken against discrimination on the basis of sex, pregnancy or family responsibilities, and against sexual harassment and violence at work.',
    ],
  },
  {
    ownerEmail: 'drafter1@example.org',
    section: 'abusive-practices',
    title: 'Preventing trafficking in persons and forced labour in the migration process',
    references: ['C29', 'C105', 'C181'],
    paragraphs: [
      'Governments should make forced labour and trafficking in persons for labour exploitation criminal offences, with penalties that are adequate and strictly enforced.',
      'Victims of trafficking should be identified and referred to assistance without regard to their immigration status, and should not be punished for offences they were compelled to commit.',
      'The confiscation of identity documents by employers or intermediaries should be prohibited.',
    ],
  },
  {
    ownerEmail: 'drafter2@example.org',
    section: 'decent-work',
    title: 'Ratification and application of the migrant workers Conventions',
    references: ['C97', 'C143', 'ICRMW-1990'],
    paragraphs: [
      'Member States should consider ratifying the Migration for Employment Convention (Revised), 1949 (No. 97), and the Migrant Workers (Supplementary Provisions) Convention, 1975 (No. 143).',
      'Where ratification is not yet possible, governments should report on the obstacles met and on measures taken to give effect to the principles of these instruments in law and practice.',
      'The Office should provide technical assistance to constituents examining the implications of ratification.',
    ],
  },
  {
    ownerEmail: 'drafter2@example.org',
    section: 'knowledge-base',
    title: 'Labour migration statistics disaggregated by sex',
    references: ['ICLS-resolutions'],
    paragraphs: [
      'Governments should collect and publish statistics on labour migration, disaggregated by sex and age and, where possible, by occupation and sector of activity.',
      'National statistical offices should cooperate with the ministries responsible for labour and migration so that administrative records can be used for statistical purposes.',
      'The Office should maintain an international database on labour migration and support capacity building in the collection and analysis of data.',
    ],
  },
  {
    ownerEmail: 'drafter2@example.org',
    section: 'effective-management',
    title: 'Coherent labour migration policy developed with the social partners',
    references: ['C97', 'C144'],
    paragraphs: [
      'Labour migration policies should be coherent with employment, labour and social policies, and should be based on assessments of labour market needs.',
      "Employers' and workers' organizations should be consulted on the formulation and implementation of labour migration policy.",
      'Ministries responsible for labour should have a central role in the management of labour migration.',
    ],
  },
  {
    ownerEmail: 'drafter3@example.org',
    section: 'social-integration',
    title: 'Social integration and non-discrimination of migrant workers',
    references: ['C111', 'C143', 'C100'],
    paragraphs: [
      'Migrant workers in a regular situation should enjoy equality of opportunity and treatment with nationals in respect of remuneration, conditions of work and social security.',
      'Measures should be taken to combat racism and xenophobia, including awareness campaigns developed with employers, trade unions and migrant communities.',
      'Access to language training and to the recognition of qualifications should be facilitated.',
    ],
  },
  {
    ownerEmail: 'drafter3@example.org',
    section: 'migration-development',
    title: 'Remittances and savings of migrant workers',
    references: ['C97'],
    paragraphs: [
      'Governments should promote faster, cheaper and safer transfers of remittances, including through competition among transfer services and access to formal financial services.',
      'Remittances are private funds; measures should encourage their productive use without compulsion or taxation that falls on migrant workers alone.',
      'Savings schemes and financial education for migrant workers and their families should be supported.',
    ],
  },
  {
    ownerEmail: 'drafter3@example.org',
    section: 'migration-development',
    title: 'Return and reintegration of skilled migrants',
    references: ['C97', 'C143'],
    paragraphs: [
      'Countries of origin should facilitate the voluntary return of skilled migrants, including through the portability of social security rights and the recognition of skills acquired abroad.',
      'Policies should mitigate the loss of skilled workers in critical sectors such as health and education, in cooperation with countries of destination.',
      'Returning migrants should have access to employment services, business development support and credit.',
    ],
  },
];

export const paragraphSeparator = '\n\n';
