import { USER_SEQ_HEADER, userSeqOf } from './headers.ts';

const seqOf = (value: string | undefined) =>
  userSeqOf(value === undefined ? {} : { [USER_SEQ_HEADER]: value });

it('reads a user sequence number the relay wrote', () => {
  expect(seqOf('1')).toBe(1);
  expect(seqOf('42')).toBe(42);
  expect(seqOf('9007199254740991')).toBe(Number.MAX_SAFE_INTEGER);
});

it.each([
  ['missing', undefined],
  ['empty', ''],
  ['zero', '0'],
  ['negative', '-1'],
  ['a fraction', '1.5'],
  ['a leading zero', '01'],
  ['spaces', ' 1'],
  ['not a number', 'abc'],
  ['an exponent', '1e3'],
  ['beyond exact doubles', '9007199254740993'],
  ['too long', '12345678901234567'],
])('takes a header %s as no number (the hub then reads the outbox)', (_, value) => {
  expect(seqOf(value)).toBeUndefined();
});
