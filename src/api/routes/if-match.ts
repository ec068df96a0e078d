import { HttpProblem } from '../problem.js';

/** The version an If-Match header names: "7" or W/"7". */
export function expectedVersion(header: string | undefined): number {
  if (!header) {
    throw new HttpProblem({
      code: 'precondition_required',
      title: 'If-Match required',
      detail:
        'Send the ETag of the guideline you looked at in If-Match, so two people cannot overwrite each other.',
    });
  }
  const match = /^(?:W\/)?"(\d+)"$/.exec(header.trim());
  if (!match) {
    throw new HttpProblem({
      code: 'bad_request',
      title: 'Malformed If-Match',
      detail: 'If-Match must be an ETag such as "7".',
    });
  }
  return Number(match[1]);
}
