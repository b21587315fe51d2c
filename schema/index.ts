import { builder } from './builder.ts';
import './errors.ts';
import './viewer.ts';
import './label.ts';
import './task.ts';
import './task-list.ts';
import './task-mutations.ts';
import './task-reminder.ts';
import './task-tags.ts';
import './recurrence.ts';
import './live.ts';
import './notification-channels.ts';
import './webhooks.ts';
import './deliveries.ts';
import './reminder-actions.ts';
import './task-stats.ts';

/** The GraphQL schema of the task API. */
export const schema = builder.toSchema({ sortSchema: true });
