/**
 * The Kafka header in which the relay sends a task event's number in its user's sequence
 * (`outbox.user_seq`), as decimal text. Events of other topics, and rows numbered by no relay,
 * go without it.
 */
export const USER_SEQ_HEADER = 'user-seq';

/** The user sequence number a message's headers carry, if any and well formed. */
export function userSeqOf(headers: Record<string, string>): number | undefined {
  const text = headers[USER_SEQ_HEADER];
  if (text === undefined || !/^[1-9][0-9]{0,15}$/.test(text)) return undefined;
  const seq = Number(text);
  return Number.isSafeInteger(seq) ? seq : undefined;
}
