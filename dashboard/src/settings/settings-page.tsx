/** The settings page (being built). */
export function SettingsPage() {
  return <section aria-label="Settings" />;
}
