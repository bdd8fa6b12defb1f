// Runs in a worker thread of the render pool (render-pool.ts): one Handlebars render per message,
// off the event loop. The pool bounds its time (it terminates the thread) and its heap; this side
// refuses output over the size budget.
import { parentPort } from 'node:worker_threads';
import { renderTemplate, type RenderResult } from '../state/render.js';
import type { TemplateContent } from '../state/templates.js';

export interface RenderJob {
  id: number;
  template: TemplateContent;
  data: string;
  maxOutputBytes: number;
}

export interface RenderAnswer {
  id: number;
  result: RenderResult | { ok: false; reason: 'OutputTooLarge'; message: string };
}

function outputBytes(r: Extract<RenderResult, { ok: true }>): number {
  return Buffer.byteLength(r.subject) + Buffer.byteLength(r.text ?? '') + Buffer.byteLength(r.html ?? '');
}

parentPort?.on('message', (job: RenderJob) => {
  const result = renderTemplate(job.template, job.data);
  const answer: RenderAnswer =
    result.ok && outputBytes(result) > job.maxOutputBytes
      ? { id: job.id, result: { ok: false, reason: 'OutputTooLarge', message: 'output too large' } }
      : { id: job.id, result };
  parentPort?.postMessage(answer);
});
