/** The product's topics. Partitions and retention come from configuration (server/config.ts). */
export const TOPICS = {
  taskEvents: { name: 'task-events' },
  taskReminders: { name: 'task-reminders' },
  taskRecurrence: { name: 'task-recurrence' },
  deadLetter: { name: 'task-dead-letter' },
} as const;
