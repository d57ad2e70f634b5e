import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../../bot/src/config.js';

describe('the register rule settings', () => {
  it('default to present at 75 %, late after 10 min, left early 10 min before the end', () => {
    assert.deepEqual(loadConfig({}).defaultRule, { presentPercent: 75, lateAfterMinutes: 10, leftEarlyMinutes: 10 });
  });

  it('take the values set, decimals allowed', () => {
    const config = loadConfig({ ATTENDANCE_PRESENT_PERCENT: '80.5', ATTENDANCE_LATE_AFTER_MIN: '5', ATTENDANCE_LEFT_EARLY_MIN: '0' });
    assert.deepEqual(config.defaultRule, { presentPercent: 80.5, lateAfterMinutes: 5, leftEarlyMinutes: 0 });
  });

  it('refuse a percentage above 100, naming the variable', () => {
    assert.throws(() => loadConfig({ ATTENDANCE_PRESENT_PERCENT: '120' }), (error: unknown) => error instanceof ConfigError && /ATTENDANCE_PRESENT_PERCENT/.test(error.message));
  });
});
