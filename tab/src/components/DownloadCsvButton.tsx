/** Downloads the meeting's final attendance as CSV (the caller's own row only, for an attendee). */
import { Button, makeStyles, MessageBar, MessageBarBody, Spinner, tokens } from '@fluentui/react-components';
import { useState } from 'react';
import { downloadReportCsv } from '../api/csv';
import { asProblem } from '../api/problems';

const useStyles = makeStyles({
  download: { display: 'flex', flexDirection: 'column', alignItems: 'flex-start', gap: tokens.spacingVerticalS },
});

interface DownloadCsvButtonProps {
  meetingId: string;
  reportId: string;
  title: string | null;
  getToken: () => Promise<string>;
}

export function DownloadCsvButton({ meetingId, reportId, title, getToken }: DownloadCsvButtonProps) {
  const styles = useStyles();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string>();

  const download = async () => {
    setBusy(true);
    setFailure(undefined);
    try {
      await downloadReportCsv(meetingId, reportId, await getToken(), csvFileName(title));
    } catch (error) {
      setFailure(`${asProblem(error).message} Try again.`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className={styles.download}>
      <Button appearance="primary" disabled={busy} icon={busy ? <Spinner size="tiny" /> : undefined} onClick={() => void download()}>
        Download CSV
      </Button>
      {failure && (
        <MessageBar intent="error">
          <MessageBarBody>The CSV could not be downloaded. {failure}</MessageBarBody>
        </MessageBar>
      )}
    </div>
  );
}

function csvFileName(title: string | null): string {
  const slug = (title ?? 'meeting').replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-|-$/g, '').slice(0, 60) || 'meeting';
  return `attendance-${slug}.csv`;
}
