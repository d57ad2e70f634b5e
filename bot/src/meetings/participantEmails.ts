/**
 * The e-mails the app has learnt for a report's people (followUps/participantEmailsJob.ts keeps them in the
 * store's people): one keyed read each. A store that cannot answer leaves the e-mails out, never the report.
 */
import { withEmails, type RecordWithEmail } from '../attendance/report.js';
import type { Logger } from '../log.js';
import type { AttendanceStore } from '../store/store.js';

/** Anonymous guests are known by their Teams user id ("29:…") only: nobody to look up. */
const ENTRA_OBJECT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The report with the e-mails the app knows filled in (see knownEmails). */
export async function reportWithEmails<R extends RecordWithEmail, T extends { attendanceRecords: R[] }>(
  store: AttendanceStore,
  tenantId: string,
  report: T,
  logger: Logger,
): Promise<T> {
  return withEmails(report, await knownEmails(store, tenantId, report.attendanceRecords, logger));
}

/** Entra object id (lower-case) → e-mail, for the records that have an object id and no e-mail yet. */
export async function knownEmails(
  store: AttendanceStore,
  tenantId: string,
  records: readonly RecordWithEmail[],
  logger: Logger,
): Promise<Map<string, string>> {
  const ids = records.filter((record) => record.emailAddress === null && ENTRA_OBJECT_ID.test(record.identity.id)).map((record) => record.identity.id);
  const emails = new Map<string, string>();
  try {
    await Promise.all(
      ids.map(async (id) => {
        const person = await store.findPerson(tenantId, id);
        const email = person?.mail ?? person?.userPrincipalName;
        if (email) emails.set(id.toLowerCase(), email);
      }),
    );
  } catch (error) {
    logger.warn({ err: error }, "participants' e-mails could not be read; the report goes without them");
  }
  return emails;
}
