/** The demo's meeting (npm run demo): what a newcomer sees play out, checked without running it. */
import assert from 'node:assert/strict';
import { DEMO_SCRIPT, IN_MEETING_AT_INSTALL, INSTALLED_AT_SECONDS } from '../../demo/script.js';

describe('the demo script', () => {
  const participantSteps = DEMO_SCRIPT.flatMap((step) => (step.kind === 'joined' || step.kind === 'left' ? [step] : []));

  it('has about a dozen participants, three of them already there when the app is added', () => {
    const names = new Set([...IN_MEETING_AT_INSTALL, ...participantSteps.flatMap((step) => step.people)].map((person) => person.name));
    assert.ok(names.size >= 12 && names.size <= 15, `${names.size} participants`);
    assert.equal(DEMO_SCRIPT[0]?.kind, 'installed');
    assert.equal(DEMO_SCRIPT[0]?.at, INSTALLED_AT_SECONDS);
  });

  it('is under way when the preview opens, then plays joins, leaves and rejoins for a few minutes before the meeting ends', () => {
    const live = DEMO_SCRIPT.filter((step) => step.at > 0);
    assert.ok(DEMO_SCRIPT.filter((step) => step.at <= 0).length >= 10, 'a meeting already under way');
    assert.ok(live.some((step) => step.kind === 'joined') && live.some((step) => step.kind === 'left'));
    const ended = live.at(-1);
    assert.equal(ended?.kind, 'ended');
    assert.ok(ended.at >= 180 && ended.at <= 600, `the meeting ends after ${ended.at} s`);
    const rejoined = participantSteps.some((step, index) =>
      step.kind === 'joined' &&
      step.people.some((person) =>
        participantSteps.slice(0, index).some((earlier) => earlier.kind === 'left' && earlier.people.includes(person)),
      ),
    );
    assert.ok(rejoined, 'someone leaves and comes back');
  });

  it('keeps its steps in time order', () => {
    const times = DEMO_SCRIPT.map((step) => step.at);
    assert.deepEqual(times, [...times].sort((a, b) => a - b));
  });
});
