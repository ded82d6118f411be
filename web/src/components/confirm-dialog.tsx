/**
 * A modal confirmation on the native <dialog> element, which traps focus, closes on Escape and
 * returns focus to where it was — the accessible behaviour comes from the browser.
 */
import { useEffect, useId, useRef, type ReactNode } from "react";

export interface ConfirmDialogProps {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
  danger?: boolean | undefined;
}

export function ConfirmDialog({ open, title, children, confirmLabel, onConfirm, onCancel, danger }: ConfirmDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  // Unique per dialog: a page with several dialogs must name each by its own title.
  const titleId = useId();
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog ref={ref} aria-labelledby={titleId} onCancel={(e) => (e.preventDefault(), onCancel())} className="dialog">
      <h2 id={titleId}>{title}</h2>
      <div className="dialog-body">{children}</div>
      <div className="actions">
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="button" className={danger ? "danger" : "primary"} onClick={onConfirm}>
          {confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
