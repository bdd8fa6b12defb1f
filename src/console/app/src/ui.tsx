// Small shared pieces: error and empty states, and a hook that runs a loader with loading/error state.
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { errorText } from './api.js';

export function ErrorBox({ error }: { error: string | undefined }) {
  if (!error) return null;
  return (
    <p role="alert" className="error">
      {error}
    </p>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>;
}

export function useLoad<T>(load: () => Promise<T>, deps: unknown[]) {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [loading, setLoading] = useState(true);
  // The caller lists the loader's inputs in deps (a new closure every render must not reload).
  const run = useCallback(load, deps);
  const reload = useCallback(async () => {
    setLoading(true);
    setError(undefined);
    try {
      setData(await run());
    } catch (e) {
      setData(undefined); // never show the previous answer under a new failure
      setError(errorText(e));
    } finally {
      setLoading(false);
    }
  }, [run]);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { data, error, loading, reload };
}

/** Runs an action, reporting AWS's error text instead of throwing. */
export async function attempt(
  fn: () => Promise<unknown>,
  setError: (e: string | undefined) => void,
): Promise<boolean> {
  setError(undefined);
  try {
    await fn();
    return true;
  } catch (e) {
    setError(errorText(e));
    return false;
  }
}
