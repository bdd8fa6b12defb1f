// A list of things as every page shows one (users, rule sets, suppressed addresses, topics…): its
// error, "Loading…" and empty states, then a table of the columns the page declares with each row's
// buttons last, scrolling in its own box on narrow screens.
import type { ReactNode } from 'react';
import { Empty, ErrorBox } from './ui.js';

export interface Column<T> {
  header: string;
  cell: (row: T, index: number) => ReactNode;
  /** The cells' class (`mono` for names and addresses). */
  className?: string;
  testId?: string;
}

export function ListTable<T>(p: {
  /** undefined: not loaded (yet, or the load failed). */
  rows: readonly T[] | undefined;
  loading?: boolean;
  error?: string | undefined;
  empty: ReactNode;
  columns: Column<T>[];
  rowKey: (row: T) => string;
  /** The row's buttons, in a last column whose header only a screen reader reads. */
  actions?: (row: T, index: number) => ReactNode;
  actionsHeader?: string;
  /** The row whose detail is open. */
  open?: (row: T) => boolean;
  testId?: string;
}) {
  const { rows, columns } = p;
  return (
    <>
      <ErrorBox error={p.error} />
      {p.loading && !rows ? <p>Loading…</p> : null}
      {rows && rows.length === 0 ? <Empty>{p.empty}</Empty> : null}
      {rows && rows.length > 0 ? (
        <div className="table-scroll">
          <table data-testid={p.testId}>
            <thead>
              <tr>
                {columns.map((c) => (
                  <th scope="col" key={c.header}>
                    {c.header}
                  </th>
                ))}
                {p.actions ? (
                  <th scope="col">
                    <span className="visually-hidden">{p.actionsHeader ?? 'Actions'}</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {rows.map((r, i) => (
                <tr key={p.rowKey(r)} aria-current={p.open?.(r) ? 'true' : undefined}>
                  {columns.map((c) => (
                    <td key={c.header} className={c.className} data-testid={c.testId}>
                      {c.cell(r, i)}
                    </td>
                  ))}
                  {p.actions ? <td className="actions">{p.actions(r, i)}</td> : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
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
