/**
 * The shared list: a table whose rows become labelled cards at narrow widths (≤ 640 px),
 * with the loading, error, empty and load-more states of the query behind it.
 *
 *   const filters = useUrlFilters({ action: '' });
 *   const audit = usePagedQuery([...keys.audit, filters.values], (o) => listAuditEntries({ ...o, query: { ...filters.values, cursor: o.cursor } }));
 *   <ListView source={audit} what="the audit log" filters={filters} rowKey={(a) => a.id}
 *     columns={[{ key: 'when', header: 'When', cell: (a) => formatDate(a.created_at) }, …]}
 *     empty="Nothing has happened yet." noMatch="No entries match these filters." />
 * `source` is a usePagedQuery result or a plain query of an array. A column's `header` labels
 * the cell in card layout; `className` goes on both (`num`, `actions`, `nowrap`, …); each cell
 * carries `data-col={key}` for styling and tests.
 */
import { Fragment, type HTMLAttributes, type ReactNode } from 'react';
import type { UseQueryResult } from '@tanstack/react-query';
import type { PagedQuery } from '../api/queries';
import { ErrorBox } from './ErrorBox';
import { Empty, LoadError, Loading } from './ui';

export interface Column<T> {
  key: string;
  header: string;
  cell: (row: T) => ReactNode;
  className?: string;
  /** Show the header only to screen readers (e.g. an actions column). */
  hideHeader?: boolean;
}

interface TableProps<T> {
  columns: Column<T>[];
  rows: T[];
  rowKey: (row: T) => string;
  rowProps?: (row: T) => HTMLAttributes<HTMLTableRowElement> & { 'data-testid'?: string };
  /** A full-width row under the row, when this returns something (e.g. why its action failed). */
  rowDetail?: (row: T) => ReactNode;
  className?: string;
  label?: string;
}

export function DataTable<T>({ columns, rows, rowKey, rowProps, rowDetail, className, label }: TableProps<T>) {
  return (
    <div className="table-wrap">
      <table className={`table data-table ${className ?? ''}`} aria-label={label}>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.key} className={c.className} scope="col">
                {c.hideHeader ? <span className="visually-hidden">{c.header}</span> : c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const detail = rowDetail?.(row);
            return (
              <Fragment key={rowKey(row)}>
                <tr {...rowProps?.(row)}>
                  {columns.map((c) => (
                    <td key={c.key} className={c.className} data-col={c.key} data-label={c.hideHeader ? undefined : c.header}>
                      {c.cell(row)}
                    </td>
                  ))}
                </tr>
                {detail != null && detail !== false && (
                  <tr className="row-detail">
                    <td colSpan={columns.length}>{detail}</td>
                  </tr>
                )}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

type Source<T> = PagedQuery<T> | UseQueryResult<T[], unknown>;

interface ListProps<T> extends Omit<TableProps<T>, 'rows'> {
  source: Source<T>;
  /** For "Could not load …". */
  what: string;
  /** Shown when nothing exists at all. */
  empty: ReactNode;
  /** Shown when filters are on and matched nothing (with a button to clear them). */
  noMatch?: ReactNode;
  filters?: { active: boolean; clear(): void };
}

export function ListView<T>({ source, what, empty, noMatch, filters, ...table }: ListProps<T>) {
  if (source.isPending) return <Loading />;
  if (source.isError && !source.data) return <LoadError error={source.error} what={what} />;
  const paged = 'items' in source ? source : null;
  const rows = paged ? paged.items : ((source.data as T[] | undefined) ?? []);
  if (rows.length === 0) {
    if (!filters?.active) return <Empty>{empty}</Empty>;
    return (
      <Empty>
        {noMatch ?? 'Nothing matches these filters.'}{' '}
        <button type="button" className="btn btn-small" onClick={filters.clear}>
          Clear filters
        </button>
      </Empty>
    );
  }
  return (
    <>
      <DataTable rows={rows} {...table} />
      {paged?.isFetchNextPageError && <ErrorBox error={paged.error} title="Could not load more." />}
      {paged?.hasNextPage && (
        <div className="load-more">
          <button className="btn" onClick={paged.loadMore} disabled={paged.isFetchingNextPage}>
            {paged.isFetchingNextPage ? 'Loading…' : 'Load more'}
          </button>
        </div>
      )}
    </>
  );
}
