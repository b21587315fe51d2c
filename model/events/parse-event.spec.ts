import { createdEvents } from '../../test/events.ts';
import { parseEvent } from './parse-event.ts';

const created = (userId: string) => createdEvents('task-events', userId, 1)[0]!.value;

it('reads an event whose envelope and payload match the contract', () => {
  expect(parseEvent(created('user-1')).userId).toBe('user-1');
});

it('refuses an event whose userId holds a NUL, which no database query can carry', () => {
  expect(() => parseEvent(created('user\u00001'))).toThrow(
    /^not a valid event: userId: must not contain the NUL character/,
  );
});
