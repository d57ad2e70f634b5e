/** "Who is here": the people in the meeting right now and since when they have been there. */
import type { Attachment } from 'botbuilder';
import type { AttendanceReport } from '../../attendance/report.js';
import { cardTime } from './cardTime.js';
import { renderCard } from './renderCard.js';

const PRESENCE_TEMPLATE = {
  type: 'AdaptiveCard',
  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
  version: '1.5',
  body: [
    { type: 'TextBlock', text: '${heading}', weight: 'Bolder', wrap: true },
    {
      type: 'FactSet',
      $when: '${count(people) > 0}',
      facts: [{ $data: '${people}', title: '${name}', value: '${since}' }],
    },
  ],
};

const PRESENCE_ROW_LIMIT = 50;

export function presenceCard(report: AttendanceReport): Attachment {
  const present = report.attendanceRecords
    .filter((record) => record.isPresent)
    .map((record) => ({
      name: record.identity.displayName ?? 'Unknown participant',
      joinedAt: record.attendanceIntervals.at(-1)?.joinDateTime ?? report.meetingStartDateTime,
    }))
    .sort((a, b) => a.joinedAt.localeCompare(b.joinedAt));
  const heading =
    present.length === 0
      ? 'Nobody is in the meeting right now.'
      : `In the meeting now: ${present.length}${present.length > PRESENCE_ROW_LIMIT ? ` (first ${PRESENCE_ROW_LIMIT} shown)` : ''}`;
  return renderCard(PRESENCE_TEMPLATE, {
    heading,
    people: present.slice(0, PRESENCE_ROW_LIMIT).map((person) => ({ name: person.name, since: `since ${cardTime(person.joinedAt)}` })),
  });
}
