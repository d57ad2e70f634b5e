/** Calls to the report API, as an LMS or the tab would make them. */

export interface ApiAnswer {
  status: number;
  contentType: string | null;
  etag: string | null;
  text: string;
  /** The parsed JSON body, when there is one. */
  json: any;
}

/** GET {server}/api/meetings/{encoded meeting id}{path}, with a bearer token when given. */
export async function getMeetingApi(serverUrl: string, meetingId: string, path: string, token?: string): Promise<ApiAnswer> {
  return getApi(serverUrl, `/api/meetings/${encodeURIComponent(meetingId)}${path}`, token);
}

export function getApi(serverUrl: string, path: string, token?: string): Promise<ApiAnswer> {
  return callApi(serverUrl, 'GET', path, token);
}

/** Any request to the API, with a JSON body when given (a string is sent as it is). */
export async function callApi(serverUrl: string, method: string, path: string, token?: string, body?: unknown): Promise<ApiAnswer> {
  const headers: Record<string, string> = token === undefined ? {} : { authorization: `Bearer ${token}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${serverUrl}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  const contentType = response.headers.get('content-type');
  let json: unknown;
  if (contentType?.includes('json') && text) json = JSON.parse(text);
  return { status: response.status, contentType, etag: response.headers.get('etag'), text, json };
}

/** Parses our CSV (RFC 4180, CRLF) into rows of fields. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        field += '"';
        index += 1;
      } else if (char === '"') {
        quoted = false;
      } else {
        field += char;
      }
    } else if (char === '"') {
      quoted = true;
    } else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\r' && text[index + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      index += 1;
    } else {
      field += char;
    }
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}
