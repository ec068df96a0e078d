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
