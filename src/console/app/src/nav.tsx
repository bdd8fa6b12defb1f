// The console's pages in three sections, the way AWS's consoles group theirs (SES, IAM, then the
// audit log where CloudTrail would be): a sidebar beside the page (above it on narrow screens), every
// page one click away, the open one marked. The header keeps only the name and the caller, so it
// stays one line at any width down to a phone's.
import { useEffect, useState } from 'react';

interface NavPage {
  page: string;
  label: string;
  /** The link's name when the section heading completes it ("Users" under IAM is "IAM users"). */
  name?: string;
}

const SECTIONS = [
  {
    title: 'SES',
    pages: [
      { page: 'identities', label: 'Identities' },
      { page: 'suppression', label: 'Suppression list' },
      { page: 'lists', label: 'Contact lists' },
      { page: 'receiving', label: 'Email receiving' },
      { page: 'mailbox', label: 'Mailbox' },
      { page: 'account', label: 'Account' },
    ],
  },
  {
    title: 'IAM',
    pages: [
      { page: 'users', label: 'Users', name: 'IAM users' },
      { page: 'groups', label: 'Groups', name: 'IAM groups' },
      { page: 'roles', label: 'Roles', name: 'IAM roles' },
      { page: 'policies', label: 'Policies', name: 'IAM policies' },
      { page: 'simulator', label: 'Policy simulator' },
    ],
  },
  // What CloudTrail's event history is to AWS: every call, who made it, and the decision.
  { title: 'Monitoring', pages: [{ page: 'audit', label: 'Audit' }] },
] as const satisfies readonly { title: string; pages: readonly NavPage[] }[];

export type Page = (typeof SECTIONS)[number]['pages'][number]['page'];

const PAGES = new Set<string>(SECTIONS.flatMap((s) => s.pages.map((p) => p.page)));

const pageFromHash = (): Page => {
  // `#/users/alice`: the page is the first segment (the rest is what it opens).
  const h = window.location.hash.replace(/^#\/?/, '').split('/')[0] ?? '';
  return (PAGES.has(h) ? h : 'identities') as Page;
};

/** The page the address names, followed as it changes (links, Back, a typed address). */
export function useCurrentPage(): Page {
  const [page, setPage] = useState<Page>(pageFromHash);
  useEffect(() => {
    const on = () => setPage(pageFromHash());
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  // Another page opens at its top, not where the last one was scrolled to.
  useEffect(() => {
    window.scrollTo(0, 0);
  }, [page]);
  return page;
}

export function Navigation({ current }: { current: Page }) {
  return (
    <nav aria-label="Console pages" className="pages">
      <div className="nav-sticky">
        {SECTIONS.map((s) => {
          const id = `nav-${s.title.toLowerCase()}`;
          return (
            <div key={s.title} className="nav-section">
              <span id={id} className="nav-title">
                {s.title}
              </span>
              <ul aria-labelledby={id}>
                {s.pages.map((p: NavPage) => (
                  <li key={p.page}>
                    <a
                      href={`#/${p.page}`}
                      aria-label={p.name}
                      aria-current={p.page === current ? 'page' : undefined}
                    >
                      {p.label}
                    </a>
                  </li>
                ))}
              </ul>
            </div>
          );
        })}
      </div>
    </nav>
  );
}
