import {
  ANONYMOUS_OPERATION,
  OTHER_OPERATION,
  boundedOperationNames,
  operationNamesOf,
} from './operation-names.ts';

it('keeps known names and the first few others; every later name, or a malformed one, is <other>', () => {
  const label = boundedOperationNames({ known: ['WhoAmI'], cap: 2 });
  expect(label(undefined)).toBe(ANONYMOUS_OPERATION);
  expect(label(ANONYMOUS_OPERATION)).toBe(ANONYMOUS_OPERATION);
  expect(label('First')).toBe('First');
  expect(label('not a name')).toBe(OTHER_OPERATION);
  expect(label('x'.repeat(101))).toBe(OTHER_OPERATION);
  expect(label('Second')).toBe('Second');
  expect(label('Third')).toBe(OTHER_OPERATION);
  expect(label('First')).toBe('First');
  expect(label('WhoAmI')).toBe('WhoAmI');
});

it('reads the names of the operations a document defines', () => {
  expect(
    operationNamesOf([
      'query A { me { id } } mutation B { x }',
      '{ me { id } }',
      'fragment F on Task { id }',
    ]),
  ).toEqual(['A', 'B']);
});
