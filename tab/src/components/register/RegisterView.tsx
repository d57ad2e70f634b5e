/**
 * The register of a finished run, for the organizer and presenters: the counts, each person with a status (and a
 * "Correct" action for those who may correct), the absent, the rule, the trail of corrections, and the class so far.
 */
import { Badge, Body1, Button, Caption1, makeStyles, MessageBar, MessageBarBody, Subtitle2, tokens } from '@fluentui/react-components';
import { useId, useState } from 'react';
import type { AttendanceStatus } from '../../../../bot/src/attendance/register.js';
import { useRegister } from '../../hooks/useRegister';
import { Loading } from '../Loading';
import { ClassSoFar } from './ClassSoFar';
import { CorrectionDialog } from './CorrectionDialog';
import { CorrectionTrail } from './CorrectionTrail';
import { registerPeople, type RegisterPerson } from './registerPeople';
import { RuleEditor } from './RuleEditor';
import { countsText, statusLabel } from './statusText';

const useStyles = makeStyles({
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, paddingTop: tokens.spacingVerticalM },
  heading: { margin: 0 },
  list: { listStyleType: 'none', margin: 0, padding: 0 },
  row: {
    display: 'grid',
    gridTemplateColumns: 'minmax(0, 1fr) auto auto',
    alignItems: 'center',
    columnGap: tokens.spacingHorizontalS,
    padding: `${tokens.spacingVerticalXS} 0`,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  name: { overflowWrap: 'anywhere' },
  detail: { color: tokens.colorNeutralForeground2, gridColumn: '1 / -1' },
});

const BADGE_COLOR: Record<AttendanceStatus, 'success' | 'warning' | 'danger' | 'informative' | 'subtle'> = {
  present: 'success',
  late: 'warning',
  leftEarly: 'warning',
  partial: 'warning',
  absent: 'danger',
  excused: 'informative',
};

interface RegisterViewProps {
  meetingId: string;
  reportId: string;
  chatId: string | undefined;
  canCorrect: boolean;
  getToken: () => Promise<string>;
}

export function RegisterView({ meetingId, reportId, chatId, canCorrect, getToken }: RegisterViewProps) {
  const styles = useStyles();
  const { state, reload } = useRegister(meetingId, reportId, getToken);
  const [correcting, setCorrecting] = useState<RegisterPerson>();
  const headings = { register: useId(), absent: useId(), rule: useId(), trail: useId(), class: useId() };
  if (state.kind === 'loading') return <Loading label="Loading the register…" />;
  if (state.kind === 'failed') {
    return (
      <MessageBar intent="error">
        <MessageBarBody>
          The register could not be loaded. {state.problem.message} <Button onClick={reload}>Retry</Button>
        </MessageBarBody>
      </MessageBar>
    );
  }
  const { report, corrections } = state;
  const people = registerPeople(report);
  const absent = people.filter((person) => person.status === 'absent');
  const section = (id: string, title: string) => (
    <Subtitle2 as="h2" id={id} className={styles.heading}>
      {title}
    </Subtitle2>
  );
  return (
    <>
      <section className={styles.section} aria-labelledby={headings.register}>
        {section(headings.register, 'Register')}
        <Body1>{countsText(report.statusCounts) || 'Nobody is on the register yet.'}</Body1>
        <ul className={styles.list}>
          {people.map((person) => (
            <li key={person.id} className={styles.row} data-participant-id={person.id}>
              <Body1 className={styles.name}>{person.name}</Body1>
              <Badge appearance="tint" color={BADGE_COLOR[person.status]}>
                {statusLabel(person.status)}
                {person.corrected ? ' (corrected)' : ''}
              </Badge>
              {canCorrect ? (
                <Button size="small" onClick={() => setCorrecting(person)} aria-label={`Correct ${person.name}`}>
                  Correct
                </Button>
              ) : (
                <span />
              )}
              <Caption1 className={styles.detail}>{detailOf(person)}</Caption1>
            </li>
          ))}
        </ul>
      </section>
      <section className={styles.section} aria-labelledby={headings.absent}>
        {section(headings.absent, `Absent (${absent.length})`)}
        <Body1>{absent.length > 0 ? absent.map((person) => person.name).join(', ') : 'Nobody on the roster missed this meeting.'}</Body1>
      </section>
      <section className={styles.section} aria-labelledby={headings.rule}>
        {section(headings.rule, 'Rule')}
        {canCorrect ? (
          <RuleEditor key={JSON.stringify(report.rule)} meetingId={meetingId} rule={report.rule} getToken={getToken} onSaved={reload} />
        ) : (
          <Body1>
            Present at {report.rule.presentPercent} % of the meeting; late after {report.rule.lateAfterMinutes} min; left early more than{' '}
            {report.rule.leftEarlyMinutes} min before the end.
          </Body1>
        )}
      </section>
      <section className={styles.section} aria-labelledby={headings.trail}>
        {section(headings.trail, 'Corrections')}
        <CorrectionTrail corrections={corrections} names={new Map(people.map((person) => [person.id, person.name]))} />
      </section>
      {chatId && (
        <section className={styles.section} aria-labelledby={headings.class}>
          {section(headings.class, 'This class so far')}
          <ClassSoFar chatId={chatId} getToken={getToken} />
        </section>
      )}
      <CorrectionDialog
          person={correcting}
          meetingId={meetingId}
          reportId={reportId}
          session={{ start: report.meetingStartDateTime, end: report.meetingEndDateTime ?? report.meetingStartDateTime }}
          getToken={getToken}
          onClose={() => setCorrecting(undefined)}
          onSaved={reload}
        />
    </>
  );
}

function detailOf(person: RegisterPerson): string {
  const parts = [`${person.attendancePercent} % of the meeting`];
  if (person.lateBySeconds > 0) parts.push(`late by ${Math.round(person.lateBySeconds / 60)} min`);
  if (person.leftEarlyBySeconds > 0) parts.push(`left ${Math.round(person.leftEarlyBySeconds / 60)} min early`);
  return parts.join(' · ');
}
