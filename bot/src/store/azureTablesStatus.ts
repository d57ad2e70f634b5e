/** Whether an Azure Tables call failed with this HTTP status (409 exists, 404 missing, 412 changed meanwhile). */
import { RestError } from '@azure/data-tables';

export function hasStatus(error: unknown, status: number): boolean {
  return error instanceof RestError && error.statusCode === status;
}
