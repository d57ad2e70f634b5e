/**
 * Correcting one person's attendance in a finished run: what to change, when (for time added or removed), and
 * why. A Fluent UI Dialog: focus moves into it and back to the row's button, Escape closes it, every field has
 * a label, and the server's refusal (it says what is wrong) is announced.
 */
import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  Input,
  makeStyles,
  MessageBar,
  MessageBarBody,
  Select,
  Textarea,
  tokens,
} from '@fluentui/react-components';
import { useState, type FormEvent } from 'react';
import type { CorrectionAction, CorrectionRequest } from '../../../../bot/src/attendance/corrections.js';
import { postCorrection } from '../../api/register';
import { useSave } from '../../hooks/useSave';
import type { RegisterPerson } from './registerPeople';
import { undoable } from './registerPeople';
import { ACTION_LABELS, statusLabel } from './statusText';

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  // Side by side where there is room; one under the other in the 320 px side panel.
  times: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalM },
  time: { flex: '1 1 10em', minWidth: 0 },
  timeInput: { width: '100%', minWidth: 0 },
});

const INTERVAL_ACTIONS: readonly CorrectionAction[] = ['addInterval', 'removeInterval'];

interface CorrectionDialogProps {
  /** Whom to correct; undefined: the dialog is closed. */
  person: RegisterPerson | undefined;
  meetingId: string;
  reportId: string;
  session: { start: string; end: string };
  getToken: () => Promise<string>;
  onClose: () => void;
  onSaved: () => void;
}

/** Stays mounted while closed, so that Fluent can give the rest of the page back to assistive technology. */
export function CorrectionDialog(props: CorrectionDialogProps) {
  const { person, onClose } = props;
  return (
    <Dialog open={person !== undefined} modalType="modal" onOpenChange={(_event, data) => (data.open ? undefined : onClose())}>
      <DialogSurface aria-describedby={undefined}>{person && <CorrectionForm key={person.id} {...props} person={person} />}</DialogSurface>
    </Dialog>
  );
}

function CorrectionForm({ person, meetingId, reportId, session, getToken, onClose, onSaved }: CorrectionDialogProps & { person: RegisterPerson }) {
  const styles = useStyles();
  const inForce = undoable(person.corrections);
  const actions = (Object.keys(ACTION_LABELS) as CorrectionAction[]).filter((action) => action !== 'undo' || inForce.length > 0);
  const [action, setAction] = useState<CorrectionAction>(person.status === 'absent' ? 'addInterval' : 'markPresent');
  const [from, setFrom] = useState(inputTime(session.start));
  const [to, setTo] = useState(inputTime(session.end));
  const [undoId, setUndoId] = useState(inForce[0]?.id ?? '');
  const [reason, setReason] = useState('');
  const { saving, refusal, save } = useSave();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const request: CorrectionRequest = { participantId: person.id, action, reason };
    if (INTERVAL_ACTIONS.includes(action)) {
      request.joinDateTime = onSessionDay(session, from);
      request.leaveDateTime = onSessionDay(session, to);
    }
    if (action === 'undo') request.correctionId = undoId;
    await save(async () => {
      await postCorrection(meetingId, reportId, await getToken(), request);
      onSaved();
      onClose();
    });
  };

  return (
        <form onSubmit={(event) => void submit(event)}>
          <DialogBody>
            <DialogTitle>Correct {person.name}</DialogTitle>
            <DialogContent className={styles.form}>
              <p>
                Now: {statusLabel(person.status)}, {person.attendancePercent} % of the meeting. Corrections are kept with your name and
                reason; the recorded time stays readable.
              </p>
              <Field label="Correction">
                <Select value={action} onChange={(_event, data) => setAction(data.value as CorrectionAction)}>
                  {actions.map((candidate) => (
                    <option key={candidate} value={candidate}>
                      {ACTION_LABELS[candidate]}
                    </option>
                  ))}
                </Select>
              </Field>
              {INTERVAL_ACTIONS.includes(action) && (
                <div className={styles.times}>
                  <Field label="From" required className={styles.time}>
                    <Input className={styles.timeInput} type="time" value={from} onChange={(_event, data) => setFrom(data.value)} required />
                  </Field>
                  <Field label="To" required className={styles.time}>
                    <Input className={styles.timeInput} type="time" value={to} onChange={(_event, data) => setTo(data.value)} required />
                  </Field>
                </div>
              )}
              {action === 'undo' && (
                <Field label="Correction to undo">
                  <Select value={undoId} onChange={(_event, data) => setUndoId(data.value)}>
                    {inForce.map((correction) => (
                      <option key={correction.id} value={correction.id}>
                        {ACTION_LABELS[correction.action]}: {correction.reason}
                      </option>
                    ))}
                  </Select>
                </Field>
              )}
              <Field label="Reason" required hint="For example: dialled in by phone, excused by the school office.">
                <Textarea value={reason} onChange={(_event, data) => setReason(data.value)} required maxLength={500} />
              </Field>
              {refusal && (
                <MessageBar intent="error" role="alert">
                  <MessageBarBody>{refusal}</MessageBarBody>
                </MessageBar>
              )}
            </DialogContent>
            <DialogActions>
              <Button appearance="secondary" onClick={onClose}>
                Cancel
              </Button>
              <Button appearance="primary" type="submit" disabled={saving}>
                {saving ? 'Saving…' : 'Save correction'}
              </Button>
            </DialogActions>
          </DialogBody>
        </form>
  );
}

/** An instant as a time input's value ("HH:MM", 24-hour, this browser's time zone). */
function inputTime(iso: string): string {
  const date = new Date(iso);
  return `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
}

/**
 * "HH:MM" on the session's day, in this browser's time zone, as an ISO instant; kept within the session, whose
 * start and end carry seconds the input cannot show.
 */
function onSessionDay(session: { start: string; end: string }, time: string): string {
  const day = new Date(session.start);
  const [hours, minutes] = time.split(':').map(Number);
  day.setHours(hours ?? 0, minutes ?? 0, 0, 0);
  const clamped = Math.min(Math.max(day.getTime(), Date.parse(session.start)), Date.parse(session.end));
  return new Date(clamped).toISOString();
}
