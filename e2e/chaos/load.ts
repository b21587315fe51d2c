import { randomUUID } from 'node:crypto';
import { isServerError, postGraphQL, type Answer, type Attempt } from './http-log.ts';
import { seededRandom } from './schedule.ts';

const CREATE = `mutation($input: CreateTaskInput!) { createTask(input: $input) {
  __typename ... on Error { message } ... on CreateTaskSuccess { task { id remindAt } } } }`;
const COMPLETE = `mutation($id: ID!) { completeTask(id: $id) {
  __typename ... on Error { message } ... on CompleteTaskSuccess { task { id completed } } } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateTaskInput!) { updateTask(id: $id, input: $input) {
  __typename ... on Error { message } } }`;

/** A user the load writes as. */
export interface LoadUser {
  userId: string;
  token: string;
}

/** The kinds of operation the load sends. */
export type Operation = 'create' | 'reminder' | 'recurring' | 'complete' | 'update';

/** What the load did, per user and in total. */
export interface LoadTally {
  /** Operations started, by kind. */
  tried: Record<Operation, number>;
  /** Operations the API answered without a server error (possibly after retries). */
  answered: Record<Operation, number>;
  /** Operations given up when the load stopped while they still had no answer. */
  abandoned: number;
  /** Tasks with a reminder in the run, and when each reminds. */
  reminders: { id: string; userId: string; remindAt: string }[];
  /** Recurring tasks whose completion the API confirmed. */
  completedRecurring: string[];
}

/** How the load runs. */
export interface LoadOptions {
  users: LoadUser[];
  /** The API's current URL (it changes when the API restarts). */
  url: () => string;
  seed: number;
  /** Every HTTP attempt is recorded here. */
  log: Attempt[];
  /** Reminders are set this far ahead at most; none is set to fire after `remindersUntil`. */
  reminderLeadMs: number;
  remindersUntil: number;
  /** The pause between a user's operations. */
  thinkMs: number;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const zero = (): Record<Operation, number> => ({
  create: 0,
  reminder: 0,
  recurring: 0,
  complete: 0,
  update: 0,
});

/**
 * Starts one writer per user, each sending a seeded random mix of operations one after another:
 * plain tasks, tasks that remind within `reminderLeadMs`, recurring tasks, completions of them,
 * and title updates. An operation that gets no answer or a 5xx is sent again (creations carry an
 * idempotency key, so a retry never creates twice) until it is answered or the load stops.
 * `stop()` lets each writer finish its operation in hand, then resolves to the tally.
 */
export function startLoad(options: LoadOptions): { stop(): Promise<LoadTally> } {
  const tally: LoadTally = {
    tried: zero(),
    answered: zero(),
    abandoned: 0,
    reminders: [],
    completedRecurring: [],
  };
  let running = true;

  /** Sends until answered without a server error; undefined when the load stopped first. */
  const send = async (
    user: LoadUser,
    operation: Operation,
    query: string,
    variables: Record<string, unknown>,
  ) => {
    tally.tried[operation]++;
    for (;;) {
      const answer: Answer | undefined = await postGraphQL(
        options.log,
        options.url(),
        user.token,
        query,
        variables,
      );
      const code = answer?.body.errors?.[0]?.extensions?.code;
      if (answer && !isServerError({ status: answer.status, code })) {
        tally.answered[operation]++;
        return answer.body.data;
      }
      if (!running) {
        tally.abandoned++;
        return undefined;
      }
      await pause(300);
    }
  };

  const writer = async (user: LoadUser, index: number) => {
    const random = seededRandom(options.seed * 31 + index);
    const plain: string[] = [];
    const recurring: string[] = [];
    for (let n = 0; running; n++) {
      const roll = random();
      if (roll < 0.3 || (roll >= 0.95 && plain.length === 0)) {
        const data = await send(user, 'create', CREATE, {
          input: { title: `plain ${index}.${n}`, idempotencyKey: randomUUID() },
        });
        if (data?.createTask.task) plain.push(data.createTask.task.id);
      } else if (roll < 0.55) {
        const remindAt = Date.now() + 2_000 + random() * (options.reminderLeadMs - 2_000);
        if (remindAt < options.remindersUntil) {
          const data = await send(user, 'reminder', CREATE, {
            input: {
              title: `reminder ${index}.${n}`,
              dueAt: new Date(remindAt + 60_000).toISOString(),
              remindBeforeMinutes: 1,
              idempotencyKey: randomUUID(),
            },
          });
          const task = data?.createTask.task;
          if (task)
            tally.reminders.push({ id: task.id, userId: user.userId, remindAt: task.remindAt });
        }
      } else if (roll < 0.75 || (roll < 0.95 && recurring.length === 0)) {
        const data = await send(user, 'recurring', CREATE, {
          input: {
            title: `daily ${index}.${n}`,
            dueAt: new Date(Date.now() + 86_400_000).toISOString(),
            recurrenceRule: 'FREQ=DAILY',
            idempotencyKey: randomUUID(),
          },
        });
        if (data?.createTask.task) recurring.push(data.createTask.task.id);
      } else if (roll < 0.95) {
        const id = recurring.splice(Math.floor(random() * recurring.length), 1)[0]!;
        const data = await send(user, 'complete', COMPLETE, { id });
        if (data?.completeTask.task?.completed) tally.completedRecurring.push(id);
      } else {
        const id = plain[Math.floor(random() * plain.length)]!;
        await send(user, 'update', UPDATE, { id, input: { title: `renamed ${index}.${n}` } });
      }
      await pause(options.thinkMs * (0.5 + random()));
    }
  };

  const writers = options.users.map((user, index) => writer(user, index));
  return {
    async stop() {
      running = false;
      await Promise.all(writers);
      return tally;
    },
  };
}
