export function IntegrationsPage() {
  return <p>Coming next.</p>;
}
