// A windowed list: only the rows in view (plus overscan) are in the DOM, each at a fixed height, so
// thousands of items scroll smoothly and nothing shifts when more arrive (placeholders hold the
// place of rows still loading). Keyboard: a listbox with a roving tabindex; ArrowUp/Down, Home/End,
// PageUp/PageDown move the active row, Enter opens it. The active row is always rendered, so the
// focus never falls to <body> when it scrolls out of view.
import {
  useCallback,
  useEffect,
  useImperativeHandle,
  useLayoutEffect,
  useRef,
  useState,
  type KeyboardEvent,
  type ReactNode,
  type Ref,
} from 'react';

export interface VirtualListHandle {
  /** Scrolls the row into view and gives it the keyboard focus. */
  focusRow(index: number): void;
}

export interface VirtualListProps<T> {
  items: readonly T[];
  /** Every row's height in CSS pixels (the list never measures rows). */
  rowHeight: number;
  /** Rows rendered beyond each edge of the viewport. */
  overscan?: number;
  /** A stable key per item; also makes the row's DOM id (`${idPrefix}-${key}`). */
  getKey: (item: T, index: number) => string;
  renderRow: (item: T, index: number, active: boolean) => ReactNode;
  /** The list's accessible name. */
  label: string;
  idPrefix: string;
  activeIndex: number;
  onActiveChange: (index: number) => void;
  onOpen?: (item: T, index: number) => void;
  /** Keys of the items shown as selected (aria-selected), e.g. the opened one. */
  selectedKey?: string;
  /** More items exist beyond the last one: `onEndReached` is called when the end nears. */
  hasMore?: boolean;
  loading?: boolean;
  onEndReached?: () => void;
  /** How many rows before the end `onEndReached` fires. */
  endThreshold?: number;
  /** Placeholder rows shown after the items while loading (or while more exist). */
  placeholderRows?: number;
  className?: string;
  ref?: Ref<VirtualListHandle>;
}

const clamp = (n: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, n));

export function VirtualList<T>(props: VirtualListProps<T>) {
  const {
    items,
    rowHeight,
    overscan = 6,
    getKey,
    renderRow,
    label,
    idPrefix,
    activeIndex,
    onActiveChange,
    onOpen,
    selectedKey,
    hasMore = false,
    loading = false,
    onEndReached,
    endThreshold = 20,
    placeholderRows = 8,
    className,
    ref,
  } = props;
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(0);
  // Set by keyboard moves: after the render that shows the new row, focus it.
  const focusPending = useRef(false);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    setViewport(el.clientHeight);
    const ro = new ResizeObserver(() => setViewport(el.clientHeight));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const placeholders = loading || hasMore ? placeholderRows : 0;
  const total = items.length + placeholders;
  const first = clamp(Math.floor(scrollTop / rowHeight) - overscan, 0, total);
  const last = clamp(Math.ceil((scrollTop + viewport) / rowHeight) + overscan, 0, total); // exclusive
  const rowId = (i: number) => `${idPrefix}-${getKey(items[i]!, i)}`;

  const scrollIntoView = useCallback(
    (index: number) => {
      const el = scroller.current;
      if (!el) return;
      const top = index * rowHeight;
      if (top < el.scrollTop) el.scrollTop = top;
      else if (top + rowHeight > el.scrollTop + el.clientHeight)
        el.scrollTop = top + rowHeight - el.clientHeight;
      setScrollTop(el.scrollTop);
    },
    [rowHeight],
  );

  useImperativeHandle(
    ref,
    () => ({
      focusRow(index: number) {
        if (index < 0 || index >= items.length) return;
        scrollIntoView(index);
        const el = document.getElementById(`${idPrefix}-${getKey(items[index]!, index)}`);
        if (el && index === activeIndex) el.focus({ preventScroll: true });
        else {
          // Not rendered yet: it will be once it is the active row; focus it after that render.
          focusPending.current = true;
          onActiveChange(index);
        }
      },
    }),
    [items, idPrefix, getKey, scrollIntoView, activeIndex, onActiveChange],
  );

  useLayoutEffect(() => {
    if (!focusPending.current || activeIndex < 0 || activeIndex >= items.length) return;
    focusPending.current = false;
    document.getElementById(rowId(activeIndex))?.focus({ preventScroll: true });
  });

  // Ask for more when the rendered window comes near the end of what is loaded.
  useEffect(() => {
    if (hasMore && !loading && onEndReached && last >= items.length - endThreshold) onEndReached();
  }, [hasMore, loading, onEndReached, last, items.length, endThreshold]);

  function move(to: number) {
    if (items.length === 0) return;
    const next = clamp(to, 0, items.length - 1);
    focusPending.current = true;
    scrollIntoView(next);
    onActiveChange(next);
  }

  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    const page = Math.max(1, Math.floor(viewport / rowHeight) - 1);
    const at = clamp(activeIndex, 0, Math.max(0, items.length - 1));
    const keys: Record<string, () => void> = {
      ArrowDown: () => move(activeIndex < 0 ? 0 : at + 1),
      ArrowUp: () => move(at - 1),
      Home: () => move(0),
      End: () => move(items.length - 1),
      PageDown: () => move(at + page),
      PageUp: () => move(at - page),
      Enter: () => {
        const item = items[at];
        if (item !== undefined && onOpen) onOpen(item, at);
      },
    };
    const act = keys[e.key];
    if (!act || e.altKey || e.ctrlKey || e.metaKey) return;
    e.preventDefault();
    act();
  }

  const indexes: number[] = [];
  for (let i = first; i < last; i++) indexes.push(i);
  if (activeIndex >= 0 && activeIndex < items.length && (activeIndex < first || activeIndex >= last))
    indexes.push(activeIndex);
  // With no active row yet, the first rendered one takes the tab stop.
  const tabStop =
    activeIndex >= 0 && activeIndex < items.length ? activeIndex : Math.min(first, items.length - 1);

  return (
    <div
      ref={scroller}
      role="listbox"
      aria-label={label}
      aria-busy={loading || undefined}
      className={`vlist${className ? ` ${className}` : ''}`}
      onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
      onKeyDown={onKeyDown}
    >
      <div role="presentation" className="vlist-sizer" style={{ height: total * rowHeight }}>
        {indexes.map((i) => {
          const style = { top: i * rowHeight, height: rowHeight };
          if (i >= items.length)
            return (
              <div
                key={`placeholder-${i}`}
                aria-hidden="true"
                className="vlist-row vlist-placeholder"
                style={style}
              />
            );
          const item = items[i]!;
          const key = getKey(item, i);
          return (
            <div
              key={key}
              id={`${idPrefix}-${key}`}
              role="option"
              aria-selected={selectedKey === key}
              aria-posinset={i + 1}
              aria-setsize={hasMore ? -1 : items.length}
              tabIndex={i === tabStop ? 0 : -1}
              className={`vlist-row${i === activeIndex ? ' active' : ''}`}
              style={style}
              onClick={() => {
                onActiveChange(i);
                onOpen?.(item, i);
              }}
              onFocus={() => {
                if (i !== activeIndex) onActiveChange(i);
              }}
            >
              {renderRow(item, i, i === activeIndex)}
            </div>
          );
        })}
      </div>
    </div>
  );
}
