// Template rendering off the event loop: a few worker threads run Handlebars (render-worker.ts),
// each render under a budget — a time limit (past it the thread is terminated and replaced), a heap
// limit (a thread that runs out of memory dies the same way) and an output limit. Four nested
// `{{#each @root.a}}` used to hold the event loop for 43 s; now only one thread spins, briefly.
import { Worker } from 'node:worker_threads';
import type { Config } from '../../config/config.js';
import type { RenderResult } from '../state/render.js';
import type { TemplateContent } from '../state/templates.js';
import type { RenderAnswer, RenderJob } from './render-worker.js';

export interface RenderLimits {
  /** Threads rendering at once (SESAME_RENDER_WORKERS). */
  workers: number;
  /** Time one render may take (SESAME_RENDER_TIMEOUT_MS). */
  timeoutMs: number;
  /** Bytes of subject + text + HTML one render may produce (SESAME_RENDER_MAX_OUTPUT_BYTES). */
  maxOutputBytes: number;
}

interface Pending {
  job: RenderJob;
  resolve: (r: RenderResult) => void;
}

interface Slot {
  worker?: Worker;
  ready: boolean;
  current?: Pending;
  timer?: NodeJS.Timeout;
}

const FROM_SOURCE = import.meta.url.endsWith('.ts');
const WORKER_URL = new URL(`./render-worker.${FROM_SOURCE ? 'ts' : 'js'}`, import.meta.url).href;
// Run from source (tsx, vitest) the worker registers tsx's loader before importing the module.
const BOOTSTRAP = FROM_SOURCE
  ? `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(WORKER_URL)}); })` +
    `.then(() => require('node:worker_threads').parentPort.postMessage('ready'));`
  : `import(${JSON.stringify(WORKER_URL)}).then(() => require('node:worker_threads').parentPort.postMessage('ready'));`;

export const renderLimits = (c: Config): RenderLimits => ({
  workers: c.renderWorkers,
  timeoutMs: c.renderTimeoutMs,
  maxOutputBytes: c.renderMaxOutputBytes,
});

export function budgetExceeded(limits: RenderLimits): RenderResult {
  return {
    ok: false,
    reason: 'RenderingBudgetExceeded',
    message: `Template rendering exceeded its budget (${limits.timeoutMs} ms, ${limits.maxOutputBytes} bytes of output).`,
  };
}

class RenderPool {
  readonly #limits: RenderLimits;
  readonly #slots: Slot[];
  readonly #queue: Pending[] = [];
  #nextId = 1;
  #closed = false;

  constructor(limits: RenderLimits) {
    this.#limits = limits;
    this.#slots = Array.from({ length: Math.max(1, limits.workers) }, () => ({ ready: false }));
  }

  render(template: TemplateContent, data: string): Promise<RenderResult> {
    if (this.#closed) return Promise.resolve(budgetExceeded(this.#limits));
    return new Promise((resolve) => {
      const job: RenderJob = {
        id: this.#nextId++,
        template,
        data,
        maxOutputBytes: this.#limits.maxOutputBytes,
      };
      this.#queue.push({ job, resolve });
      this.#dispatch();
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const p of this.#queue.splice(0)) p.resolve(budgetExceeded(this.#limits));
    await Promise.all(this.#slots.map((s) => s.worker?.terminate()));
  }

  #dispatch(): void {
    for (const slot of this.#slots) {
      if (this.#queue.length === 0) return;
      if (slot.current) continue;
      if (!slot.worker) this.#spawn(slot);
      if (!slot.ready) continue;
      const next = this.#queue.shift()!;
      slot.current = next;
      slot.worker!.ref(); // a render in flight keeps the process alive
      slot.worker!.postMessage(next.job);
      // Past the budget the thread is cut off mid-render; its exit answers the job.
      slot.timer = setTimeout(() => void slot.worker?.terminate(), this.#limits.timeoutMs);
    }
  }

  #spawn(slot: Slot): void {
    const heapMb = Math.max(64, Math.ceil((8 * this.#limits.maxOutputBytes) / 1024 / 1024));
    const worker = new Worker(BOOTSTRAP, {
      eval: true,
      resourceLimits: { maxOldGenerationSizeMb: heapMb, maxYoungGenerationSizeMb: 16 },
    });
    worker.unref(); // an idle pool never holds the process open
    slot.worker = worker;
    slot.ready = false;
    worker.on('message', (m: RenderAnswer | 'ready') => {
      if (m === 'ready') {
        slot.ready = true;
      } else if (slot.current && m.id === slot.current.job.id) {
        const done = slot.current;
        this.#settle(slot);
        done.resolve(
          m.result.ok || m.result.reason !== 'OutputTooLarge' ? m.result : budgetExceeded(this.#limits),
        );
      }
      this.#dispatch();
    });
    // Terminated (time budget), out of memory (heap budget) or broken: the job in flight fails.
    const gone = () => {
      if (slot.worker !== worker) return;
      const lost = slot.current;
      this.#settle(slot);
      slot.worker = undefined;
      slot.ready = false;
      lost?.resolve(budgetExceeded(this.#limits));
      if (!this.#closed) this.#dispatch();
    };
    worker.on('error', gone);
    worker.on('exit', gone);
  }

  #settle(slot: Slot): void {
    clearTimeout(slot.timer);
    slot.timer = undefined;
    slot.current = undefined;
    slot.worker?.unref();
  }
}

const pools = new Map<string, RenderPool>();

/** Renders on the shared pool for these limits (created on first use). */
export function renderWithBudget(
  limits: RenderLimits,
  template: TemplateContent,
  data: string,
): Promise<RenderResult> {
  const key = `${limits.workers}/${limits.timeoutMs}/${limits.maxOutputBytes}`;
  let pool = pools.get(key);
  if (!pool) pools.set(key, (pool = new RenderPool(limits)));
  return pool.render(template, data);
}

/** Stops every pool's threads (the app's close). */
export async function closeRenderPools(): Promise<void> {
  const all = [...pools.values()];
  pools.clear();
  await Promise.all(all.map((p) => p.close()));
}
