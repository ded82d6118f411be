/** Step inputs and outputs as indented JSON text (escaped by React like any text). */
export function JsonView({ value, label }: { value: unknown; label: string }) {
  if (value === undefined) return <p className="muted">No {label.toLowerCase()} recorded.</p>;
  const text = typeof value === "string" ? value : JSON.stringify(value, null, 2);
  return (
    <pre className="json" aria-label={label} tabIndex={0}>
      {text.length > 20_000 ? text.slice(0, 20_000) + "\n… (shortened)" : text}
    </pre>
  );
}
