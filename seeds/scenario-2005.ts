import type {
  BallotChoice,
  Disposition,
  Group,
  GuidelineState,
  Role,
  Stance,
} from '../src/domain/vocabulary.js';

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
  /** Who checks submissions, runs the consultation and the votes in the demo's story. */
  secretariatEmail: 'secretariat@example.org',
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
  /** How the session's paper is headed, as the Office's paper of the time was. */
  paper: {
    symbol: 'GB.294/ESP/3',
    committee: 'Committee on Employment and Social Policy',
    agendaItem: 'Third item on the agenda',
    purpose: 'FOR DECISION',
  },
  /** Who includes adopted guidelines in the session's paper. */
  secretariatEmail: 'gb.secretariat@example.org',
};

/** Where a guideline stands when the demo starts; the seed takes it there through the engine. */
export type SeedStage = Extract<
  GuidelineState,
  | 'drafting'
  | 'secretariat_check'
  | 'consultation'
  | 'voting'
  | 'revision'
  | 'adopted'
  | 'submitted_to_gb'
>;

/** A comment made during the consultation, anchored to words of one paragraph (from 1). */
export interface SeedComment {
  authorEmail: string;
  paragraph: number;
  exact: string;
  body: string;
  proposedText?: string;
  /** The drafter's answer in revision; a comment without one is still open. */
  disposition?: { disposition: Disposition; note?: string };
}

export interface SeedPosition {
  stance: Stance;
  statement: string;
}

export interface SeedGuideline {
  ownerEmail: string;
  section: string;
  title: string;
  paragraphs: string[];
  references: string[];
  stage: SeedStage;
  comments?: readonly SeedComment[];
  /** Stated by each group's spokesperson; groups left out have not stated theirs yet. */
  positions?: Partial<Record<Group, SeedPosition>>;
  /** How the deliberation ended: a consensus, a vote, or a request for revision. */
  consensus?: string;
  /** Cast by each group's experts in the order of the member States (01, 02 …). */
  ballots?: Partial<Record<Group, readonly BallotChoice[]>>;
  revisionInstructions?: string;
}

/** n ballots of one choice, for vote counts that read at a glance. */
const times = (n: number, choice: BallotChoice): BallotChoice[] => Array(n).fill(choice);

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
    // Open for comment, with the governments' position in and the social partners' still to come.
    stage: 'consultation',
    positions: {
      government: {
        stance: 'support_with_reservations',
        statement:
          'Governments support licensing. Exceptions to the no-fee rule should be left to national law, not narrowed by the guideline.',
      },
    },
    comments: [
      {
        authorEmail: 'wkr03@example.org',
        paragraph: 1,
        exact: 'licensing or certification',
        body: 'Certification by an industry body is not supervision. A public authority should grant and withdraw the licence.',
        proposedText: 'licensing by a public authority',
      },
      {
        authorEmail: 'emp02@example.org',
        paragraph: 2,
        exact: 'directly or indirectly',
        body: 'We accept the principle. "Indirectly" needs a definition, or costs that employers lawfully pass on will be caught by it.',
      },
      {
        authorEmail: 'observer.iom@example.org',
        paragraph: 3,
        exact: 'in a language the worker understands',
        body: 'In our programmes contracts registered with the labour ministry before departure were far less often replaced on arrival.',
      },
      {
        authorEmail: 'gov04@example.org',
        paragraph: 4,
        exact: 'lose their licence',
        body: 'A first, minor breach should allow suspension; withdrawal is for serious or repeated abuse.',
        proposedText: 'have their licence suspended or withdrawn',
      },
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
    // The employers oppose, so no consensus: the vote is open and a third of the experts have voted.
    stage: 'voting',
    positions: {
      government: {
        stance: 'support_with_reservations',
        statement:
          'Inspection of a private home must respect the constitutional protection of the home; entry needs consent or a court order.',
      },
      employers: {
        stance: 'oppose',
        statement:
          'Most inspectorates cannot enter households. Paragraph 2 promises what States cannot deliver; complaint mechanisms should come first.',
      },
      workers: {
        stance: 'support',
        statement:
          'Domestic work is where abuse goes unseen. A guideline that stops at the door of the household protects no one inside it.',
      },
    },
    comments: [
      {
        authorEmail: 'observer.ohchr@example.org',
        paragraph: 3,
        exact: 'sexual harassment and violence at work',
        body: 'Women who report violence should not lose their residence permit when they leave the employer.',
      },
    ],
    ballots: {
      government: ['yes', 'yes', 'yes', 'no', 'yes'],
      employers: ['no', 'no', 'abstain'],
      workers: times(4, 'yes'),
    },
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
    // Back with its drafter, who has answered two comments of four.
    stage: 'revision',
    positions: {
      government: {
        stance: 'support_with_reservations',
        statement:
          'Governments support the text; the ban on confiscating documents should reach agents abroad.',
      },
      employers: {
        stance: 'support',
        statement: 'Employers support the text as drafted.',
      },
      workers: {
        stance: 'oppose',
        statement:
          'Without a reflection period and a residence permit, victims who come forward are deported. Paragraph 2 must say so.',
      },
    },
    revisionInstructions:
      'Add a reflection period and temporary residence for identified victims, extend paragraph 3 to recruiters and agents in countries of origin, and answer every comment before resubmitting.',
    comments: [
      {
        authorEmail: 'wkr02@example.org',
        paragraph: 2,
        exact: 'identified and referred to assistance',
        body: 'Identification is not protection. Victims need time to recover and a permit to stay while they decide whether to testify.',
        disposition: {
          disposition: 'accepted',
          note: 'A new paragraph on a reflection period and temporary residence is being drafted.',
        },
      },
      {
        authorEmail: 'gov03@example.org',
        paragraph: 1,
        exact: 'strictly enforced',
        body: '"Strictly" adds nothing a court can apply. We suggest "effectively enforced".',
        proposedText: 'effectively enforced',
        disposition: {
          disposition: 'not_accepted',
          note: 'Enforcement in this field is often lax; the Office keeps the stronger word.',
        },
      },
      {
        authorEmail: 'emp05@example.org',
        paragraph: 3,
        exact: 'by employers or intermediaries',
        body: 'Employers agree, and the ban should bind recruiters and agents in the country of origin too.',
      },
      {
        authorEmail: 'observer.unhcr@example.org',
        paragraph: 2,
        exact: 'without regard to their immigration status',
        body: 'Some victims fear persecution if returned. They should be told of their right to seek asylum.',
      },
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
    // Adopted by consensus and already in the 294th Session's paper.
    stage: 'submitted_to_gb',
    positions: {
      government: {
        stance: 'support_with_reservations',
        statement:
          'Several governments cannot ratify soon. Reporting on obstacles should use the existing reporting cycle, not a new one.',
      },
      employers: {
        stance: 'support_with_reservations',
        statement:
          'Employers support promotion of the Conventions; ratification remains a national choice.',
      },
      workers: {
        stance: 'support',
        statement: 'The Conventions are the floor of the framework. Workers support the text.',
      },
    },
    consensus:
      'The experts agreed the text. Government experts noted that reporting on obstacles to ratification should follow the existing procedures.',
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
    // Submitted by its drafter, waiting for the secretariat's check.
    stage: 'secretariat_check',
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
    // The governments opposed paragraph 3; the meeting adopted it by a weighted vote.
    stage: 'adopted',
    positions: {
      government: {
        stance: 'oppose',
        statement:
          'How a government shares migration among its ministries is for it to decide. Paragraph 3 should go.',
      },
      employers: {
        stance: 'support',
        statement:
          'Employers support consultation of the social partners at every stage of policy.',
      },
      workers: {
        stance: 'support',
        statement:
          'Labour ministries are where the social partners are heard. Workers support the text.',
      },
    },
    ballots: {
      government: [...times(5, 'yes'), ...times(6, 'no'), 'abstain'],
      employers: [...times(10, 'yes'), ...times(2, 'abstain')],
      workers: times(12, 'yes'),
    },
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
    stage: 'drafting',
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
    // Adopted by consensus, not yet in the 294th Session's paper.
    stage: 'adopted',
    positions: {
      government: {
        stance: 'support',
        statement: 'Governments support the text.',
      },
      employers: {
        stance: 'support',
        statement: 'Competition among transfer services is the surest way to lower their cost.',
      },
      workers: {
        stance: 'support_with_reservations',
        statement:
          'Transfer fees and exchange margins should be published, so that workers can compare services.',
      },
    },
    consensus:
      'The experts agreed the text. The Workers asked that the Office look into the publication of transfer costs.',
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
    stage: 'drafting',
  },
];

export const paragraphSeparator = '\n\n';
