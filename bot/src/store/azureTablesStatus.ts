/** Whether an Azure Tables call failed with this HTTP status (409 exists, 404 missing, 412 changed meanwhile). */
import { RestError, type TableClient } from '@azure/data-tables';

export function hasStatus(error: unknown, status: number): boolean {
  return error instanceof RestError && error.statusCode === status;
}

/** Whether the row exists (a marker row, say), without reading more than its key. */
export async function rowExists(client: TableClient, partitionKey: string, rowKey: string): Promise<boolean> {
  try {
    await client.getEntity(partitionKey, rowKey);
    return true;
  } catch (error) {
    if (hasStatus(error, 404)) return false;
    throw error;
  }
}
