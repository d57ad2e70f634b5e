/** The API's errors: each has a stable code, an HTTP status and a message that says what to do next. */
export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    /** Response headers that go with the error (e.g. Retry-After). */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const unauthorized = (why: string) =>
  new AppError('InvalidAuthenticationToken', 401, `A valid Entra ID bearer token is required: ${why}.`);

export const forbidden = (why: string) => new AppError('Forbidden', 403, `Access denied: ${why}.`);

export const tooManyRequests = (retryAfterSeconds: number) =>
  new AppError(
    'TooManyRequests',
    429,
    `Too many requests from this caller. Retry after ${retryAfterSeconds} s (see Retry-After), and poll less often.`,
    { 'Retry-After': String(retryAfterSeconds) },
  );

export const meetingNotFound = () =>
  new AppError(
    'MeetingNotFound',
    404,
    'No attendance is recorded for this meeting in your tenant. Check the meeting id (URL-encoded), and that the Attendance app was added to the meeting.',
  );

export const reportNotFound = () =>
  new AppError('ReportNotFound', 404, 'This meeting has no attendance report with that id. List the reports at .../attendanceReports.');

export const badActivity = (problem: string) =>
  new AppError('BadActivity', 400, `The activity cannot be recorded: ${problem}.`);

export const badRequest = (problem: string) => new AppError('BadRequest', 400, problem);

export const chatNotFound = () =>
  new AppError(
    'ChatNotFound',
    404,
    "No meeting of this chat is recorded in your tenant. Check the chat thread id (URL-encoded, e.g. 19%3Ameeting_…%40thread.v2) and that the Attendance app was added to the chat's meetings.",
  );
