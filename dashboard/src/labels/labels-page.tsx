/** The labels page (being built). */
export function LabelsPage() {
  return <section aria-label="Labels" />;
}
