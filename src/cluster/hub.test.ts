// The primary's relay, with workers that only record what they are sent: a worker's write is
// confirmed to it only once every other worker has acknowledged the invalidation (or is gone), and
// wake-ups go to the workers of the other role.
import { describe, expect, it, vi } from 'vitest';
import { INVALIDATION_TIMEOUT_MS, createHub, type HubWorker } from './hub.js';
import type { ToWorker } from './messages.js';

function worker(id: number, role: HubWorker['role']) {
  const got: ToWorker[] = [];
  const w: HubWorker & { got: ToWorker[]; killed: boolean } = {
    id,
    role,
    got,
    killed: false,
    send: (m) => got.push(m),
    kill: () => (w.killed = true),
  };
  return w;
}

const log = { warn: () => {}, error: () => {} };

describe('cluster hub', () => {
  it('answers a bump only once every other worker has acknowledged it', () => {
    const [a, b, c] = [worker(1, 'listeners'), worker(2, 'listeners'), worker(3, 'background')];
    const hub = createHub(() => [a, b, c], log);
    hub.receive(a, { t: 'bumped', id: 7, account: '111122223333', stored: 4 });
    // The others are told, the writer is not (it already dropped its own cache).
    expect(a.got).toEqual([]);
    expect(b.got).toEqual([{ t: 'bumped', seq: 1, account: '111122223333', stored: 4 }]);
    expect(c.got).toEqual([{ t: 'bumped', seq: 1, account: '111122223333', stored: 4 }]);
    hub.receive(b, { t: 'ack', seq: 1 });
    expect(a.got).toEqual([]); // c has not confirmed yet
    hub.receive(b, { t: 'ack', seq: 1 }); // a second ack from b counts for nothing
    expect(a.got).toEqual([]);
    hub.receive(c, { t: 'ack', seq: 1 });
    expect(a.got).toEqual([{ t: 'done', id: 7 }]);
  });

  it('does not wait for a worker that is gone', () => {
    const [a, b] = [worker(1, 'listeners'), worker(2, 'listeners')];
    const hub = createHub(() => [a, b], log);
    hub.receive(a, { t: 'reset', id: 1 });
    expect(b.got).toEqual([{ t: 'reset', seq: 1 }]);
    hub.gone(b.id);
    expect(a.got).toEqual([{ t: 'done', id: 1 }]);
  });

  it('answers at once when there is no other worker', () => {
    const a = worker(1, 'listeners');
    const hub = createHub(() => [a], log);
    hub.receive(a, { t: 'bumped', id: 3, account: '111122223333' });
    expect(a.got).toEqual([{ t: 'done', id: 3 }]);
  });

  it('sends wake-ups, with their queue, to the background worker and mail arrivals to the listeners', () => {
    const [a, b, c] = [worker(1, 'listeners'), worker(2, 'listeners'), worker(3, 'background')];
    const hub = createHub(() => [a, b, c], log);
    hub.receive(a, { t: 'wake', queue: 'outbox' });
    hub.receive(b, { t: 'wake', queue: 'jobs' });
    expect([a.got, b.got, c.got]).toEqual([
      [],
      [],
      [
        { t: 'wake', queue: 'outbox' },
        { t: 'wake', queue: 'jobs' },
      ],
    ]);
    hub.receive(c, { t: 'mail' });
    expect([a.got, b.got]).toEqual([[{ t: 'mail' }], [{ t: 'mail' }]]);
  });

  it('kills a worker that does not confirm in time (it is restarted with empty caches), then answers', () => {
    vi.useFakeTimers();
    try {
      const [a, b] = [worker(1, 'listeners'), worker(2, 'listeners')];
      const hub = createHub(() => [a, b], log);
      hub.receive(a, { t: 'bumped', id: 5, account: '111122223333' });
      vi.advanceTimersByTime(INVALIDATION_TIMEOUT_MS - 1);
      expect(b.killed).toBe(false);
      vi.advanceTimersByTime(1);
      expect(b.killed).toBe(true);
      expect(a.got).toEqual([]); // answered only once b is gone
      hub.gone(b.id);
      expect(a.got).toEqual([{ t: 'done', id: 5 }]);
    } finally {
      vi.useRealTimers();
    }
  });
});
