import { builder } from './builder.js';
import './errors.js';
import './viewer.js';
import './label.js';
import './task.js';
import './task-list.js';
import './task-mutations.js';
import './task-reminder.js';
import './task-tags.js';
import './recurrence.js';
import './live.js';

/** The GraphQL schema of the task API. */
export const schema = builder.toSchema({ sortSchema: true });
