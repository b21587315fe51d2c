import { RecentIds } from './recent-ids.ts';

it('recognises an id while it is among the last `capacity` added, and forgets the oldest first', () => {
  const recent = new RecentIds(2);
  expect(recent.add('a')).toBe(true);
  expect(recent.add('a')).toBe(false);
  expect(recent.add('b')).toBe(true);
  expect(recent.add('c')).toBe(true);
  expect(recent.add('b')).toBe(false);
  expect(recent.add('a')).toBe(true);
  expect(recent.add('b')).toBe(true);
  expect(recent.add('a')).toBe(false);
});
