// Names and ARNs that lead somewhere are links: `#/users/alice`, `#/roles/r`, `#/policies/ARN`.
// A list page keeps its open entity in the address, so it can be linked to, bookmarked, reloaded
// and reached with Back.
import { useCallback, useEffect, useState } from 'react';
import { Arn } from './arn.js';
import { AWS_MANAGED_PREFIX } from './policy-list.js';

export type EntityPage = 'users' | 'groups' | 'roles' | 'policies';

function fromHash(): { page: string; name?: string } {
  const [page = '', ...rest] = window.location.hash.replace(/^#\/?/, '').split('/');
  if (rest.length === 0) return { page };
  try {
    return { page, name: decodeURIComponent(rest.join('/')) };
  } catch {
    return { page };
  }
}

export const entityHref = (page: EntityPage, name: string): string => `#/${page}/${encodeURIComponent(name)}`;

/** The page's open entity, kept in the address (`#/users/alice`). */
export function useHashSelection(page: EntityPage): [string | undefined, (name: string | undefined) => void] {
  const [selected, setSelected] = useState(() => (fromHash().page === page ? fromHash().name : undefined));
  useEffect(() => {
    const on = () => {
      const h = fromHash();
      if (h.page === page) setSelected(h.name);
    };
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, [page]);
  const select = useCallback(
    (name: string | undefined) => {
      const target = name === undefined ? `#/${page}` : entityHref(page, name);
      if (window.location.hash !== target) window.location.hash = target;
      setSelected(name);
    },
    [page],
  );
  return [selected, select];
}

/** An entity's name in its list: opens it (or, open, closes it). */
export function EntityLink({
  page,
  name,
  label,
  open,
}: {
  page: EntityPage;
  /** What the address names (a policy's ARN). */
  name: string;
  /** What is shown, when not the name (a policy's name). */
  label?: string | undefined;
  open: boolean;
}) {
  return (
    <a href={open ? `#/${page}` : entityHref(page, name)} aria-expanded={open}>
      {label ?? name}
    </a>
  );
}

const IAM_ARN = /^arn:aws:iam::\d{12}:(user|group|role|policy)(?:\/[^/]+)*\/([^/]+)$/;
const PAGES: Record<string, EntityPage> = {
  user: 'users',
  group: 'groups',
  role: 'roles',
  policy: 'policies',
};

/** An ARN, linked to its page when it names a user, group, role or managed policy (AWS's too). */
export function ArnLink({ arn }: { arn: string }) {
  const m = IAM_ARN.exec(arn);
  const session = /^arn:aws:sts::\d{12}:assumed-role\/([^/]+)\//.exec(arn);
  const awsManaged = arn.startsWith(AWS_MANAGED_PREFIX);
  if (!m && !session && !awsManaged) return <Arn value={arn} />;
  const href = m
    ? entityHref(PAGES[m[1]!]!, m[1] === 'policy' ? arn : m[2]!)
    : session
      ? entityHref('roles', session[1]!)
      : entityHref('policies', arn);
  return (
    <a href={href}>
      <Arn value={arn} />
    </a>
  );
}
