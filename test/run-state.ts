interface RunState {
  postgres: { url: string; stop: () => Promise<void> };
  databaseName: string;
  kafka: { brokers: string; stop: () => Promise<void> };
}

const KEY = Symbol.for('todo-events.test-run');
const holder = globalThis as { [KEY]?: RunState };

/** Keeps what global setup started for global teardown (both run in jest's parent context). */
export function setRun(state: RunState): void {
  holder[KEY] = state;
}

export function getRun(): RunState | undefined {
  return holder[KEY];
}
