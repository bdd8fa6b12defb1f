// An ARN (or any long identifier) that breaks at its separators (`:` and `/`), never mid-word, so
// narrow columns stay readable at 1366 px.
import { Fragment } from 'react';

export function Arn({ value, className }: { value: string; className?: string }) {
  const parts = value.split(/(?<=[:/@])/);
  return (
    <span className={`arn${className ? ` ${className}` : ''}`}>
      {parts.map((p, i) => (
        <Fragment key={i}>
          {p}
          {i < parts.length - 1 ? <wbr /> : null}
        </Fragment>
      ))}
    </span>
  );
}
