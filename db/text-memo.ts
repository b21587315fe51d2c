/** How many texts a {@link memoByText} remembers before it forgets them all. */
const REMEMBERED_TEXTS = 1_000;

/**
 * `derive`, remembered per SQL text: hot statements are the same few texts over and over, and
 * deriving from one (hashing it, numbering its placeholders) reads all of it. At most
 * REMEMBERED_TEXTS texts are kept; when full, all are forgotten at once. Further arguments are
 * passed to `derive` on a miss only: the result must depend on the text alone.
 */
export function memoByText<Rest extends unknown[]>(
  derive: (text: string, ...rest: Rest) => string,
): (text: string, ...rest: Rest) => string {
  const remembered = new Map<string, string>();
  return (text, ...rest) => {
    let derived = remembered.get(text);
    if (derived !== undefined) return derived;
    derived = derive(text, ...rest);
    if (remembered.size >= REMEMBERED_TEXTS) remembered.clear();
    remembered.set(text, derived);
    return derived;
  };
}
