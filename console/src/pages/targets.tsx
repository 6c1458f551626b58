export function TargetsPage() {
  return <p>Coming next.</p>;
}
