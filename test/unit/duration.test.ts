import assert from 'node:assert/strict';
import { formatDuration, secondsBetween } from '../../bot/src/attendance/duration.js';

describe('duration', () => {
  describe('formatDuration: whole seconds as Teams shows them', () => {
    for (const [seconds, text] of [
      [0, '0s'],
      [1, '1s'],
      [59, '59s'],
      [60, '1m 0s'],
      [1009, '16m 49s'],
      [3599, '59m 59s'],
      [3600, '1h 0m 0s'],
      [3723, '1h 2m 3s'],
      [90061, '25h 1m 1s'],
    ] as const) {
      it(`formats ${seconds} s as "${text}"`, () => {
        assert.equal(formatDuration(seconds), text);
      });
    }

    it('drops fractions of a second rather than rounding up', () => {
      assert.equal(formatDuration(59.999), '59s');
    });

    it('never shows a negative duration', () => {
      assert.equal(formatDuration(-5), '0s');
    });
  });

  describe('secondsBetween: Graph durationInSeconds', () => {
    it('truncates to whole seconds (09:00:05.456 → 09:16:54.789 is 1009.333 s → 1009)', () => {
      assert.equal(secondsBetween('2025-11-26T09:00:05.456Z', '2025-11-26T09:16:54.789Z'), 1009);
    });

    it('counts 999 ms as 0 s and exactly 1000 ms as 1 s', () => {
      assert.equal(secondsBetween('2025-11-26T09:00:00.000Z', '2025-11-26T09:00:00.999Z'), 0);
      assert.equal(secondsBetween('2025-11-26T09:00:00.500Z', '2025-11-26T09:00:01.500Z'), 1);
    });

    it('is 0, never negative, when the end is before the start', () => {
      assert.equal(secondsBetween('2025-11-26T09:10:00.000Z', '2025-11-26T09:00:00.000Z'), 0);
    });
  });
});
