// What a person (or the system timer) asks of a guideline: derived from the events' definitions
// (src/workflow/events/), re-exported here under the name the rest of the code knows.
export type { GuidelineCommand } from './events/index.js';
