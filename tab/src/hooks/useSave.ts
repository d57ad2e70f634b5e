/** A form's save to the server: whether it is under way, and the server's refusal (it says what is wrong) when it failed. */
import { useState } from 'react';
import { asProblem } from '../api/problems';

export function useSave(): { saving: boolean; refusal: string | undefined; save: (request: () => Promise<void>) => Promise<void> } {
  const [saving, setSaving] = useState(false);
  const [refusal, setRefusal] = useState<string>();
  const save = async (request: () => Promise<void>): Promise<void> => {
    setSaving(true);
    setRefusal(undefined);
    try {
      await request();
    } catch (error) {
      setRefusal(asProblem(error).message);
    } finally {
      setSaving(false);
    }
  };
  return { saving, refusal, save };
}
