export function ServicesPage() {
  return <p>Coming next.</p>;
}
