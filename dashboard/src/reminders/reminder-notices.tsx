/** Reminders as in-page notices (being built). */
export function ReminderNotices() {
  return null;
}
