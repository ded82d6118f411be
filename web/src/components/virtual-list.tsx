/**
 * A windowed list: only the rows in view (plus a few either side) are in the page, so ten
 * thousand proposals scroll as smoothly as ten. Rows have one fixed height; the list keeps the
 * active row in view when it changes by keyboard.
 */
import { useEffect, useRef, useState, type ReactNode } from "react";
import { visibleRange } from "./visible-range.ts";

export interface VirtualListProps<T> {
  items: readonly T[];
  rowHeight: number;
  /** Height of the scrolling viewport in pixels; a list with fewer rows is only as tall as they are. */
  height: number;
  renderRow: (item: T, index: number) => ReactNode;
  getKey: (item: T) => string;
  activeIndex?: number | undefined;
  label: string;
  overscan?: number | undefined;
  /** Told the rows in the page (start inclusive, end exclusive) whenever they change: a list read in pages reads the next one. */
  onRange?: ((start: number, end: number) => void) | undefined;
}

export function VirtualList<T>({ items, rowHeight, height, renderRow, getKey, activeIndex, label, overscan = 6, onRange }: VirtualListProps<T>) {
  const ref = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);

  useEffect(() => {
    const el = ref.current;
    if (!el || activeIndex === undefined || activeIndex < 0) return;
    const top = activeIndex * rowHeight;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + rowHeight > el.scrollTop + el.clientHeight) el.scrollTop = top + rowHeight - el.clientHeight;
  }, [activeIndex, rowHeight]);

  // A short list does not leave an empty box (on a phone it would push the chosen card off screen).
  const viewport = Math.max(rowHeight, Math.min(height, items.length * rowHeight));
  const { start, end } = visibleRange(scrollTop, viewport, rowHeight, items.length, overscan);
  const rangeSeen = useRef(onRange);
  rangeSeen.current = onRange;
  useEffect(() => rangeSeen.current?.(start, end), [start, end]);
  const rows: ReactNode[] = [];
  for (let i = start; i < end; i++) {
    const item = items[i]!;
    rows.push(
      <div
        key={getKey(item)}
        role="listitem"
        aria-setsize={items.length}
        aria-posinset={i + 1}
        className="vrow"
        style={{ transform: `translateY(${i * rowHeight}px)`, height: rowHeight }}
      >
        {renderRow(item, i)}
      </div>,
    );
  }
  return (
    <div
      ref={ref}
      className="vlist"
      style={{ height: viewport }}
      onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
      role="region"
      aria-label={label}
      tabIndex={0}
    >
      <div role="list" aria-label={label} style={{ height: items.length * rowHeight, position: "relative" }}>
        {rows}
      </div>
    </div>
  );
}
