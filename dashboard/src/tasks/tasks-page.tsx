/** The tasks page (being built). */
export function TasksPage({ params }: { params: URLSearchParams }) {
  return <section aria-label="Tasks">{params.toString()}</section>;
}
