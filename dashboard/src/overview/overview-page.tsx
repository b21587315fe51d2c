/** The overview page (being built). */
export function OverviewPage() {
  return <section aria-label="Overview" />;
}
