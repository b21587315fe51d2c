/**
 * A small seeded generator (mulberry32), so a failing random case can be run again with the same
 * seed: `next()` in [0, 1), `int(n)` in [0, n), `pick` one item, `some` of the items (each 40 %).
 */
export function seededRandom(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  const some = <T>(items: readonly T[]): T[] => items.filter(() => next() < 0.4);
  return { next, int, pick, some };
}

export type SeededRandom = ReturnType<typeof seededRandom>;
