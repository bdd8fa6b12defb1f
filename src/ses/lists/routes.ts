// The public side of list management (no SigV4: the sealed token is the proof): GET
// /unsubscribe/<token> shows the preferences page; POST with `List-Unsubscribe=One-Click` (RFC 8058,
// what mail clients send for the header) unsubscribes at once; POST from the page saves its choices.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { App } from '../../app.js';
import { publishTargets } from '../../delivery/publishing/fanout.js';
import { notFoundPage, oneClickDone, PAGE_CSP, preferencesPage } from './page.js';
import { changeSubscription, currentSubscription, type SubscriptionChange } from './unsubscribe.js';
import { openUnsubscribeToken } from './unsubscribe-token.js';
import type { SubscriptionStatus } from './topics.js';

function html(reply: FastifyReply, status: number, body: string) {
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('content-security-policy', PAGE_CSP)
    .header('x-content-type-options', 'nosniff')
    .send(body);
}

/** The form fields of a POST: urlencoded, or the simple multipart some clients send for one-click. */
function fields(contentType: string | undefined, body: unknown): URLSearchParams {
  const text = Buffer.isBuffer(body) ? body.toString('utf8') : '';
  if (!/multipart\/form-data/i.test(contentType ?? '')) return new URLSearchParams(text);
  const out = new URLSearchParams();
  for (const m of text.matchAll(/name="([^"]+)"\r?\n(?:[^\r\n]+\r?\n)*\r?\n([^\r\n]*)/g))
    out.append(m[1]!, m[2]!);
  return out;
}

// A wildcard, not `:token`: route parameters are capped at 100 characters.
const tokenOf = (params: unknown): string => (params as { '*'?: string })['*'] ?? '';

function pageChange(form: URLSearchParams): SubscriptionChange {
  if (form.get('action') === 'unsubscribe-all')
    return { kind: 'preferences', topics: {}, unsubscribeAll: true };
  const topics: Record<string, SubscriptionStatus> = {};
  for (const [k, v] of form)
    if (k.startsWith('topic:') && (v === 'OPT_IN' || v === 'OPT_OUT')) topics[k.slice(6)] = v;
  return { kind: 'preferences', topics, unsubscribeAll: form.get('unsubscribeAll') === 'true' };
}

export function registerListRoutes(app: App, server: FastifyInstance): void {
  const publishing = publishTargets(app.config);

  server.get('/unsubscribe/*', async (request, reply) => {
    const scope = openUnsubscribeToken(app.box, tokenOf(request.params));
    const current = scope ? await currentSubscription(app.store, scope) : undefined;
    if (!scope || !current) return html(reply, 404, notFoundPage());
    return html(reply, 200, preferencesPage(scope.emailAddress, current));
  });

  server.post('/unsubscribe/*', async (request, reply) => {
    const scope = openUnsubscribeToken(app.box, tokenOf(request.params));
    if (!scope) return html(reply, 404, notFoundPage());
    const form = fields(request.headers['content-type'], request.body);
    const oneClick = form.get('List-Unsubscribe') === 'One-Click';
    const change: SubscriptionChange = oneClick ? { kind: 'one-click' } : pageChange(form);
    const after = await changeSubscription(app.store, scope, change, publishing, new Date());
    if (!after) return html(reply, 404, notFoundPage());
    if (oneClick) return reply.code(200).type('text/plain; charset=utf-8').send(oneClickDone);
    return html(reply, 200, preferencesPage(scope.emailAddress, after, 'Your preferences have been saved.'));
  });
}
