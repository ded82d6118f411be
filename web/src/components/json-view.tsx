/**
 * Step inputs and outputs as indented JSON text. Everything is rendered as React text (escaped),
 * never as HTML: inputs and outputs carry candidate-supplied text (resumes, names, notes).
 */

/** Above this many characters or lines, a value starts collapsed. */
const LONG_CHARS = 600;
const LONG_LINES = 14;
const MAX_CHARS = 20_000;

function textOf(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value, null, 2);
}

export function JsonView({ value, label }: { value: unknown; label: string }) {
  if (value === undefined) return <p className="muted">No {label.toLowerCase()} recorded.</p>;
  const text = textOf(value);
  return (
    <pre className="json" aria-label={label} tabIndex={0}>
      {text.length > MAX_CHARS ? text.slice(0, MAX_CHARS) + "\n… (shortened)" : text}
    </pre>
  );
}

/**
 * A step's input or output: shown as it is when short, collapsed behind a summary that says how
 * long it is when long, and `missing` when there is none (undefined or null).
 */
export function StepValue({ value, label, missing }: { value: unknown; label: string; missing: string }) {
  if (value === undefined || value === null) return <p className="muted">{missing}</p>;
  const text = textOf(value);
  const lines = text.split("\n").length;
  if (text.length <= LONG_CHARS && lines <= LONG_LINES) return <JsonView value={value} label={label} />;
  return (
    <details className="long-value">
      <summary>
        Show {label.toLowerCase()} ({lines} line{lines === 1 ? "" : "s"}, {text.length.toLocaleString()} characters)
      </summary>
      <JsonView value={value} label={label} />
    </details>
  );
}
