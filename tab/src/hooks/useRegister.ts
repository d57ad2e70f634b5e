/** Loads a finished run's register and its corrections, and reloads both after a change. */
import { useCallback, useEffect, useState } from 'react';
import type { Correction } from '../../../bot/src/attendance/corrections.js';
import type { RegisterReport } from '../../../bot/src/attendance/registerReport.js';
import { fetchCorrections, fetchRegisterReport } from '../api/register';
import { asProblem, type ApiProblem } from '../api/problems';

export type RegisterState =
  | { kind: 'loading' }
  | { kind: 'ready'; report: RegisterReport; corrections: Correction[] }
  | { kind: 'failed'; problem: ApiProblem };

export function useRegister(meetingId: string, reportId: string, getToken: () => Promise<string>): { state: RegisterState; reload: () => void } {
  const [state, setState] = useState<RegisterState>({ kind: 'loading' });
  const [version, setVersion] = useState(0);

  useEffect(() => {
    let current = true;
    void (async () => {
      try {
        const token = await getToken();
        const [report, corrections] = await Promise.all([fetchRegisterReport(meetingId, reportId, token), fetchCorrections(meetingId, reportId, token)]);
        if (current) setState({ kind: 'ready', report, corrections });
      } catch (error) {
        if (current) setState({ kind: 'failed', problem: asProblem(error) });
      }
    })();
    return () => {
      current = false;
    };
  }, [meetingId, reportId, getToken, version]);

  const reload = useCallback(() => setVersion((count) => count + 1), []);
  return { state, reload };
}
