import { messageBytes, REQUEST_OVERHEAD_BYTES, splitByBytes } from './message-bytes.ts';

describe('messageBytes', () => {
  it('counts key, value and headers as UTF-8 bytes, with a margin per record and header', () => {
    const plain = messageBytes({ topic: 't', key: 'k', value: 'v' });
    const wide = messageBytes({ topic: 't', key: 'k', value: '€' });
    expect(wide - plain).toBe(2);
    const escaped = messageBytes({ topic: 't', key: 'k', value: JSON.stringify('\u0001') });
    expect(escaped - plain).toBe(7);
    const headed = messageBytes({ topic: 't', key: 'k', value: 'v', headers: { ab: 'cd' } });
    expect(headed - plain).toBeGreaterThan(4);
  });
});

describe('splitByBytes', () => {
  const bound = REQUEST_OVERHEAD_BYTES + 100;

  it('keeps the order and each run within the bound', () => {
    const sizes = [40, 40, 40, 10, 90, 5, 5];
    const runs = splitByBytes(sizes, (size) => size, bound);
    expect(runs).toEqual([
      [40, 40],
      [40, 10],
      [90, 5, 5],
    ]);
    expect(runs.flat()).toEqual(sizes);
  });

  it('gives an item over the bound a run of its own', () => {
    expect(splitByBytes([10, 500, 10], (size) => size, bound)).toEqual([[10], [500], [10]]);
  });

  it('returns no runs for no items', () => {
    expect(splitByBytes([], () => 1, bound)).toEqual([]);
  });
});
