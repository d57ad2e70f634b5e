/** What went wrong talking to the API, sorted by what the person in the meeting can do about it. */
type ProblemKind =
  /** 404: nothing recorded for this meeting: the app has not been added to it. */
  | 'notAdded'
  /** 403: signed in, but not allowed to see this meeting's attendance. */
  | 'forbidden'
  /** 401, or Teams could not give us a token. */
  | 'signIn'
  /** Network failure or a server error: retrying may help. */
  | 'unavailable';

export class ApiProblem extends Error {
  constructor(
    readonly kind: ProblemKind,
    message: string,
  ) {
    super(message);
    this.name = 'ApiProblem';
  }
}

const KIND_BY_STATUS: Record<number, ProblemKind> = { 401: 'signIn', 403: 'forbidden', 404: 'notAdded' };

/** The problem an unsuccessful answer describes, with the server's own message ({ error: { message } }). */
export async function problemFrom(response: Response): Promise<ApiProblem> {
  const body = (await response.json().catch(() => undefined)) as { error?: { message?: string } } | undefined;
  const message = body?.error?.message ?? `The Attendance service answered ${response.status}.`;
  return new ApiProblem(KIND_BY_STATUS[response.status] ?? 'unavailable', message);
}

export function asProblem(error: unknown): ApiProblem {
  if (error instanceof ApiProblem) return error;
  return new ApiProblem('unavailable', 'The Attendance service cannot be reached. Check your connection.');
}
