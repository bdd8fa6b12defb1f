// The shape the IAM list pages share: a heading, what the page puts above the list (its create
// form), the list whose first column links to each entity (`#/users/alice`), a Delete button per
// row asking first, and the open entity's detail below. Each page declares its load, its columns,
// its delete and its detail.
import { Fragment, useState, type ReactNode } from 'react';
import { Arn } from './arn.js';
import { EntityLink, useHashSelection, type EntityPage } from './links.js';
import { ListTable, RowButton, type Column } from './list-table.js';
import { attempt, useLoad } from './ui.js';
import './iam.css';

/** The entity's ARN, broken at its separators. */
export const arnColumn: Column<{ Arn?: string | undefined }> = {
  header: 'ARN',
  cell: (r) => <Arn value={r.Arn ?? ''} />,
  sort: (r) => r.Arn,
};
export const createdColumn: Column<{ CreateDate?: Date | undefined }> = {
  header: 'Created',
  cell: (r) => r.CreateDate?.toISOString(),
  sort: (r) => r.CreateDate,
};

/** A page's entities, the one open (kept in the address) and the error of the last change. */
export function useEntityList<T>(page: EntityPage, load: () => Promise<T[]>, deps: unknown[]) {
  const list = useLoad(load, deps);
  const [selected, select] = useHashSelection(page);
  const [error, setError] = useState<string>();
  return { ...list, page, selected, select, changeError: error, setError };
}
export type EntityList<T> = ReturnType<typeof useEntityList<T>>;

interface EntityTableProps<T> {
  list: EntityList<T>;
  /** The first column's header: "User". */
  nameHeader: string;
  /** What the find box finds: "users". */
  plural: string;
  /** What the address names: a user's name, a policy's ARN. */
  name: (row: T) => string;
  /** What the link shows, when not the name: a policy's name. */
  label?: (row: T) => string;
  columns: Column<T>[];
  empty: string;
  /** Deleting one: the button reads "Delete {noun} {label}", after "Delete the {confirm} {label}?". */
  remove: { noun: string; confirm: string; run: (name: string) => Promise<unknown> };
  /** Buttons before Delete. */
  actions?: (row: T) => ReactNode;
  /** The open entity (its row, once the list has it). */
  detail: (name: string, row: T | undefined) => ReactNode;
}

/** A whole list page: the heading, what goes above the list (its create form), the list. */
export function EntityListPage<T>({
  title,
  children,
  ...table
}: EntityTableProps<T> & { title: string; children?: ReactNode }) {
  return (
    <section aria-labelledby={`${table.list.page}-h`}>
      <h2 id={`${table.list.page}-h`}>{title}</h2>
      {children}
      <EntityTable {...table} />
    </section>
  );
}

/** The list and, below it, the open entity's detail. */
export function EntityTable<T>(p: EntityTableProps<T>) {
  const { list, name } = p;
  const label = p.label ?? name;

  async function remove(row: T) {
    const n = name(row);
    if (!window.confirm(`Delete the ${p.remove.confirm} ${label(row)}?`)) return;
    if (await attempt(() => p.remove.run(n), list.setError)) {
      if (list.selected === n) list.select(undefined);
      await list.reload();
    }
  }

  const first: Column<T> = {
    header: p.nameHeader,
    cell: (r) => (
      <EntityLink page={list.page} name={name(r)} label={label(r)} open={list.selected === name(r)} />
    ),
    sort: label,
  };
  return (
    <>
      <ListTable
        rows={list.data}
        loading={list.loading}
        error={list.changeError ?? list.error}
        empty={p.empty}
        columns={[first, ...p.columns]}
        find={{ noun: p.plural, text: label }}
        testId={`${list.page}-list`}
        rowKey={name}
        open={(r) => list.selected === name(r)}
        actions={(r) => (
          <>
            {p.actions?.(r)}
            <RowButton
              verb="Delete"
              object={`${p.remove.noun} ${label(r)}`}
              danger
              onClick={() => void remove(r)}
            />
          </>
        )}
      />
      {list.selected ? (
        <Fragment key={list.selected}>
          {p.detail(
            list.selected,
            list.data?.find((r) => name(r) === list.selected),
          )}
        </Fragment>
      ) : null}
    </>
  );
}
