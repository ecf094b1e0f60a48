/** A small read-only table of records: columns as title + render, an empty text in Chinese. */
import { Table } from 'antd';
import type { ReactNode } from 'react';

export function table<T extends object>(
  rows: readonly T[],
  columns: Array<{ title: string; render: (r: T) => ReactNode }>,
  empty = '暂无记录',
  testId?: string,
) {
  return (
    <Table
      size="small"
      pagination={false}
      rowKey={(_r, i) => String(i)}
      dataSource={rows}
      locale={{ emptyText: empty }}
      data-testid={testId}
      scroll={{ x: 'max-content' }}
      columns={columns.map((c, i) => ({ key: i, title: c.title, render: (_: unknown, r: T) => c.render(r) }))}
    />
  );
}
