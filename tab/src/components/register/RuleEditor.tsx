/** The meeting's rule, which the organizer and presenters may change for this meeting (PUT …/rule). */
import { Button, Caption1, Field, Input, makeStyles, MessageBar, MessageBarBody, tokens } from '@fluentui/react-components';
import { useState, type FormEvent } from 'react';
import type { ReportRule } from '../../../../bot/src/attendance/registerReport.js';
import { putRule } from '../../api/register';
import { useSave } from '../../hooks/useSave';

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, alignItems: 'flex-start' },
  fields: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalM },
  number: { width: '7em' },
});

interface RuleEditorProps {
  meetingId: string;
  rule: ReportRule;
  getToken: () => Promise<string>;
  onSaved: () => void;
}

export function RuleEditor({ meetingId, rule, getToken, onSaved }: RuleEditorProps) {
  const styles = useStyles();
  const [values, setValues] = useState({
    presentPercent: String(rule.presentPercent),
    lateAfterMinutes: String(rule.lateAfterMinutes),
    leftEarlyMinutes: String(rule.leftEarlyMinutes),
  });
  const { saving, refusal, save: saveRule } = useSave();

  const save = async (event: FormEvent) => {
    event.preventDefault();
    await saveRule(async () => {
      await putRule(meetingId, await getToken(), {
        presentPercent: Number(values.presentPercent),
        lateAfterMinutes: Number(values.lateAfterMinutes),
        leftEarlyMinutes: Number(values.leftEarlyMinutes),
      });
      onSaved();
    });
  };
  const field = (name: keyof typeof values, label: string, max: number) => (
    <Field label={label}>
      <Input
        className={styles.number}
        type="number"
        min={0}
        max={max}
        value={values[name]}
        onChange={(_event, data) => setValues((current) => ({ ...current, [name]: data.value }))}
      />
    </Field>
  );

  return (
    <form className={styles.form} onSubmit={(event) => void save(event)} aria-label="The rule">
      <div className={styles.fields}>
        {field('presentPercent', 'Present at (% of the meeting)', 100)}
        {field('lateAfterMinutes', 'Late after (minutes)', 1440)}
        {field('leftEarlyMinutes', 'Left early (minutes before the end)', 1440)}
      </div>
      <Caption1>{rule.source === 'meeting' ? `Set for this meeting by ${rule.changedBy.displayName ?? 'the organizer'}.` : "The app's default rule."}</Caption1>
      <Button type="submit" disabled={saving}>
        {saving ? 'Saving…' : 'Save rule'}
      </Button>
      {refusal && (
        <MessageBar intent="error" role="alert">
          <MessageBarBody>{refusal}</MessageBarBody>
        </MessageBar>
      )}
    </form>
  );
}
