// A list of things as every page shows one (users, rule sets, suppressed addresses, audit records…):
// a find box over the loaded rows, its error, "Loading…" and empty states, a table of the columns the
// page declares (those with a sort key sort on their header), each row's buttons last, the open row
// marked, then the way to more rows: "Show more" for a long loaded list, "Previous/Next page" or
// "Load older" for a list the server pages. The table scrolls in its own box on narrow screens.
import { useState, type ReactNode } from 'react';
import { Empty, ErrorBox } from './ui.js';

export interface Column<T> {
  header: string;
  cell: (row: T, index: number) => ReactNode;
  /** The cells' class (`mono` for names and addresses), or one per row. */
  className?: string | ((row: T) => string | undefined);
  testId?: string;
  /** What the column sorts by; without it the header is not a sort button. */
  sort?: (row: T) => string | number | Date | undefined;
}

/** A list the server pages with tokens: the page shown, and moving to the previous or next. */
export interface Pager {
  label: string;
  page: number;
  previous?: (() => void) | undefined;
  next?: (() => void) | undefined;
}

export interface ListTableProps<T> {
  /** undefined: not loaded (yet, or the load failed). */
  rows: readonly T[] | undefined;
  loading?: boolean;
  error?: string | undefined;
  /** What shows when there is no row at all. */
  empty: ReactNode;
  columns: Column<T>[];
  rowKey: (row: T) => string;
  /** The row's buttons, in a last column whose header only a screen reader reads. */
  actions?: (row: T, index: number) => ReactNode;
  actionsHeader?: string;
  /** The row whose detail is open. */
  open?: (row: T) => boolean;
  testId?: string;
  /** A find box over the loaded rows: "Find users", matching the text (any case) of each row. */
  find?: { noun: string; text: (row: T) => string };
  /** The order before the reader picks one: a column's header. */
  sortedBy?: { header: string; descending?: boolean };
  /** Rows shown before "Show more" (a loaded list only). */
  pageSize?: number;
  pager?: Pager;
  /** One more page from the server, added below ("Load older records"). */
  more?: { label: string; load: () => void } | undefined;
  /** Attributes of each row (`data-*` that tests and styles read). */
  rowData?: (row: T) => Record<`data-${string}`, string | number>;
  /** The scroll box's class besides `table-scroll`. */
  className?: string;
}

type Order = { header: string; descending: boolean } | undefined;
type Key = string | number | Date | undefined;

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
function compare(a: Key, b: Key): number {
  if (a === undefined || a === '') return b === undefined || b === '' ? 0 : 1; // blanks last
  if (b === undefined || b === '') return -1;
  if (typeof a === 'string' && typeof b === 'string') return collator.compare(a, b);
  return Number(a) - Number(b);
}

export function ListTable<T>(p: ListTableProps<T>) {
  const { rows, columns } = p;
  const [query, setQuery] = useState('');
  const [order, setOrder] = useState<Order>(
    p.sortedBy && { header: p.sortedBy.header, descending: p.sortedBy.descending ?? false },
  );
  const pageSize = p.pageSize ?? 100;
  const [limit, setLimit] = useState(pageSize);

  // Each row with its place in `rows` (a page's "Move up" acts on that place, whatever the order).
  const shown = (() => {
    const needle = query.trim().toLowerCase();
    const found = (rows ?? [])
      .map((row, i) => ({ row, i }))
      .filter(({ row }) => !needle || !p.find || p.find.text(row).toLowerCase().includes(needle));
    const by = columns.find((c) => c.header === order?.header)?.sort;
    if (!by || !order) return found;
    const sign = order.descending ? -1 : 1;
    return found.sort((a, b) => sign * compare(by(a.row), by(b.row)) || a.i - b.i);
  })();

  const sortOn = (header: string) =>
    setOrder(
      order?.header === header ? { header, descending: !order.descending } : { header, descending: false },
    );
  const visible = shown.slice(0, limit);

  return (
    <>
      {p.find && rows && rows.length > 0 ? (
        <div className="list-find">
          <label>
            Find {p.find.noun}
            <input
              type="search"
              value={query}
              onChange={(e) => {
                setQuery(e.target.value);
                setLimit(pageSize);
              }}
            />
          </label>
          {query.trim() ? (
            <span data-testid="list-found">
              {shown.length} of {rows.length}
            </span>
          ) : null}
        </div>
      ) : null}
      <ErrorBox error={p.error} />
      {p.loading && !rows ? <p>Loading…</p> : null}
      {rows && rows.length === 0 ? <Empty>{p.empty}</Empty> : null}
      {rows && rows.length > 0 && shown.length === 0 ? (
        <Empty>
          No {p.find?.noun ?? 'rows'} match “{query.trim()}”.
        </Empty>
      ) : null}
      {visible.length > 0 ? (
        <div className={p.className ? `table-scroll ${p.className}` : 'table-scroll'}>
          <table data-testid={p.testId}>
            <thead>
              <tr>
                {columns.map((c) => {
                  const sorted = order?.header === c.header ? order : undefined;
                  return (
                    <th
                      scope="col"
                      key={c.header}
                      aria-sort={
                        sorted
                          ? sorted.descending
                            ? 'descending'
                            : 'ascending'
                          : c.sort
                            ? 'none'
                            : undefined
                      }
                    >
                      {c.sort ? (
                        <button type="button" className="sort" onClick={() => sortOn(c.header)}>
                          {c.header}
                          <span aria-hidden="true" className="sort-mark">
                            {sorted ? (sorted.descending ? ' ▼' : ' ▲') : ' ↕'}
                          </span>
                        </button>
                      ) : (
                        c.header
                      )}
                    </th>
                  );
                })}
                {p.actions ? (
                  <th scope="col">
                    <span className="visually-hidden">{p.actionsHeader ?? 'Actions'}</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {visible.map(({ row, i }) => (
                <tr
                  key={p.rowKey(row)}
                  aria-current={p.open?.(row) ? 'true' : undefined}
                  {...p.rowData?.(row)}
                >
                  {columns.map((c) => (
                    <td
                      key={c.header}
                      className={typeof c.className === 'function' ? c.className(row) : c.className}
                      data-testid={c.testId}
                    >
                      {c.cell(row, i)}
                    </td>
                  ))}
                  {p.actions ? <td className="actions">{p.actions(row, i)}</td> : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {shown.length > visible.length ? (
        <p className="list-more">
          Showing {visible.length} of {shown.length}.{' '}
          <button type="button" onClick={() => setLimit(limit + pageSize)}>
            Show {Math.min(pageSize, shown.length - visible.length)} more
          </button>
        </p>
      ) : null}
      {p.more ? (
        <button type="button" onClick={p.more.load}>
          {p.more.label}
        </button>
      ) : null}
      {p.pager ? <PagerNav {...p.pager} /> : null}
    </>
  );
}

/** A list the server pages with NextToken: the tokens of the pages seen so far, so that going back
 * needs no server state. */
export function useTokenPages() {
  const [tokens, setTokens] = useState<(string | undefined)[]>([undefined]);
  return {
    token: tokens.at(-1),
    /** Back to the first page (a new filter). */
    reset: () => setTokens([undefined]),
    pager: (label: string, next: string | undefined): Pager => ({
      label,
      page: tokens.length,
      previous: tokens.length > 1 ? () => setTokens(tokens.slice(0, -1)) : undefined,
      next: next ? () => setTokens([...tokens, next]) : undefined,
    }),
  };
}

function PagerNav({ label, page, previous, next }: Pager) {
  return (
    <nav className="pager" aria-label={label}>
      <button type="button" disabled={!previous} onClick={previous}>
        Previous page
      </button>
      <span>Page {page}</span>
      <button type="button" disabled={!next} onClick={next}>
        Next page
      </button>
    </nav>
  );
}

/** A row's button: the verb shows, what it acts on is read out too ("Delete" + " user alice"). */
export function RowButton({
  verb,
  object,
  onClick,
  danger = false,
  disabled,
}: {
  verb: string;
  object: string;
  onClick: () => void;
  danger?: boolean;
  disabled?: boolean;
}) {
  return (
    <button type="button" className={danger ? 'danger' : undefined} disabled={disabled} onClick={onClick}>
      {verb}
      <span className="visually-hidden"> {object}</span>
    </button>
  );
}
