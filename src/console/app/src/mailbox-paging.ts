// Server-side paging of the message list: pages of PAGE_SIZE, the next one asked with the previous
// page's NextToken (`after`). New filters start over; answers to superseded filters are dropped.
// Live: every LIVE_MS the first page is asked again and the messages not shown yet go on top.
import { useCallback, useEffect, useRef, useState } from 'react';
import { errorText, type Clients } from './api.js';
import { LIST_PATH, type MailboxFilters, type MessagePage, type MessageSummary } from './mailbox-types.js';

export const PAGE_SIZE = 100;
export const LIVE_MS = 2000;

interface PagedMessages {
  /** Changes whenever the list starts over (new filters, reload). */
  generation: number;
  items: MessageSummary[];
  /** A next page exists (the last answer had a NextToken). */
  hasMore: boolean;
  loading: boolean;
  error?: string;
  /** Fetches the next page, unless one is loading or none is left. */
  loadMore: () => void;
  /** Starts over from the first page (to see new mail). */
  reload: () => void;
  /** After an error: asks again for the page that failed. */
  retry: () => void;
  /** Messages that arrived live since the list started (new on top). */
  arrived: number;
}

export function usePagedMessages(clients: Clients, filters: MailboxFilters, live = false): PagedMessages {
  const [items, setItems] = useState<MessageSummary[]>([]);
  const [token, setToken] = useState<string>();
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string>();
  const [round, setRound] = useState(0);
  // Bumped by every reset: an answer carries the generation it was asked in.
  const generation = useRef(0);
  const [shownGeneration, setShownGeneration] = useState(0);
  const inFlight = useRef(false);
  const [arrived, setArrived] = useState(0);

  const fetchPage = useCallback(
    async (after: string | undefined, gen: number) => {
      inFlight.current = true;
      setLoading(true);
      setError(undefined);
      try {
        const page = await clients.sesameJson<MessagePage>(LIST_PATH, {
          limit: String(PAGE_SIZE),
          q: filters.q,
          recipient: filters.recipient,
          identity: filters.identity,
          since: filters.since,
          after,
        });
        if (gen !== generation.current) return;
        setItems((prev) => (after ? [...prev, ...page.Messages] : page.Messages));
        setToken(page.NextToken);
      } catch (e) {
        if (gen !== generation.current) return;
        setError(errorText(e));
      } finally {
        if (gen === generation.current) {
          inFlight.current = false;
          setLoading(false);
        }
      }
    },
    [clients, filters],
  );

  useEffect(() => {
    const gen = ++generation.current;
    setShownGeneration(gen);
    setItems([]);
    setToken(undefined);
    void fetchPage(undefined, gen);
  }, [fetchPage, round]);

  const loadMore = useCallback(() => {
    if (inFlight.current || !token || error) return;
    void fetchPage(token, generation.current);
  }, [fetchPage, token, error]);

  // Live: the newest page again; what is not in the list yet goes on top (oldest of them last).
  useEffect(() => {
    if (!live || loading || error) return;
    const gen = generation.current;
    const timer = setInterval(() => {
      void clients
        .sesameJson<MessagePage>(LIST_PATH, {
          limit: String(PAGE_SIZE),
          q: filters.q,
          recipient: filters.recipient,
          identity: filters.identity,
          since: filters.since,
        })
        .then((page) => {
          if (gen !== generation.current) return;
          setItems((prev) => {
            const known = new Set(prev.map((m) => m.Id));
            const fresh = page.Messages.filter((m) => !known.has(m.Id));
            if (fresh.length === 0) return prev;
            setArrived((n) => n + fresh.length);
            return [...fresh, ...prev];
          });
        })
        .catch(() => undefined); // a failed poll is tried again at the next tick
    }, LIVE_MS);
    return () => clearInterval(timer);
  }, [clients, filters, live, loading, error]);

  const reload = useCallback(() => setRound((r) => r + 1), []);
  const retry = useCallback(() => {
    if (token && items.length > 0) void fetchPage(token, generation.current);
    else reload();
  }, [fetchPage, token, items.length, reload]);

  return {
    generation: shownGeneration,
    items,
    hasMore: token !== undefined,
    loading,
    ...(error ? { error } : {}),
    loadMore,
    reload,
    retry,
    arrived,
  };
}
