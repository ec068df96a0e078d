// The engine's refusals. Each says what a person can do about it; the API maps them to problem
// details (404, 409, 403, 422).

export class GuidelineNotFound extends Error {
  constructor(readonly guidelineId: string) {
    super('no such guideline');
    this.name = 'GuidelineNotFound';
  }
}

export class VersionConflict extends Error {
  constructor(
    readonly expected: number,
    readonly actual: number,
  ) {
    super(`the guideline changed meanwhile: you had version ${expected}, it is now at ${actual}`);
    this.name = 'VersionConflict';
  }
}

export class EventForbidden extends Error {
  constructor(
    readonly eventType: string,
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'EventForbidden';
  }
}

export class EventNotAllowed extends Error {
  constructor(
    readonly eventType: string,
    readonly state: string,
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'EventNotAllowed';
  }
}

/** A record that does not exist (or that the caller may not know of). */
export class RecordNotFound extends Error {
  constructor(readonly what: string) {
    super(`no ${what} with that id`);
    this.name = 'RecordNotFound';
  }
}

/** A change that contradicts the state of the record: a taken e-mail, the last secretariat. */
export class RecordConflict extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'RecordConflict';
  }
}

/** Input that is well-formed but does not fit together (a spokesperson who is not an expert). */
export class RecordInvalid extends Error {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'RecordInvalid';
  }
}

/** An anchor whose quoted passage is not where the comment says. */
export class AnchorNotFound extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'AnchorNotFound';
  }
}

/** The tally of a vote still open, asked for by someone who sees it only once the vote closes. */
export class TallyNotPublic extends Error {
  constructor() {
    super('The tally of an open vote is shown when the vote closes.');
    this.name = 'TallyNotPublic';
  }
}
