export function AuditPage() {
  return <p>Coming next.</p>;
}
