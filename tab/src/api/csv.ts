/** Downloads a report's CSV with the bearer token (a plain link cannot carry it) and saves it through a Blob. */
import { problemFrom } from './problems';

export async function downloadReportCsv(meetingId: string, reportId: string, token: string, fileName: string): Promise<void> {
  const url = `/api/meetings/${encodeURIComponent(meetingId)}/attendanceReports/${encodeURIComponent(reportId)}.csv`;
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` }, cache: 'no-store' });
  if (!response.ok) throw await problemFrom(response);
  const objectUrl = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = objectUrl;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  // The browser has taken the file once the click is handled; free the Blob a little later.
  setTimeout(() => URL.revokeObjectURL(objectUrl), 10_000);
}
