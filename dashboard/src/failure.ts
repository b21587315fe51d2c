/** What went wrong, as a sentence to show: a typed API error's message, or the error's own. */
export const failure = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);
