// GET /verify-email?token=… — the link in the verification mail (SESAME_VERIFICATION=email), and
// `&link=…` from a custom verification email: then the answer is a redirect to the template's
// success URL, or its failure URL for an expired, used or wrong token.
// Unauthenticated by design: the token is the proof of mailbox ownership.
import type { FastifyInstance } from 'fastify';
import type { App } from '../../app.js';
import type { Store } from '../../store/database.js';
import { redeemVerificationToken } from './email-link.js';

const customLink = (store: Store, linkId: string) =>
  linkId.length > 64
    ? undefined
    : store.db
        .selectFrom('ses_custom_verification_links')
        .selectAll()
        .where('link_id', '=', linkId)
        .executeTakeFirst();

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const page = (title: string, body: string): string =>
  `<!doctype html><html><head><meta charset="utf-8"><title>${esc(title)}</title></head>` +
  `<body><h1>${esc(title)}</h1><p>${body}</p></body></html>`;

export function verifyEmailRoute(
  server: FastifyInstance,
  store: Store,
  now: () => Date = () => new Date(),
): void {
  server.get('/verify-email', async (request, reply) => {
    const query = request.query as { token?: unknown; link?: unknown };
    const token = typeof query.token === 'string' ? query.token : '';
    reply.header('cache-control', 'no-store');
    const custom = typeof query.link === 'string' ? await customLink(store, query.link) : undefined;
    const result = await redeemVerificationToken(store, token, now());
    if (custom) {
      const verified =
        result.ok &&
        result.accountId === custom.account_id &&
        result.region === custom.region &&
        result.identity === custom.identity;
      return reply.redirect(verified ? custom.success_url : custom.failure_url, 302);
    }
    reply.type('text/html; charset=utf-8');
    if (!result.ok) {
      const why =
        result.reason === 'expired'
          ? 'This verification link has expired (links are valid for 24 hours).'
          : 'This verification link is not valid: it is unknown or has already been used.';
      return reply
        .code(400)
        .send(page('Verification failed', `${why} Request verification again to receive a new link.`));
    }
    return reply
      .code(200)
      .send(
        page(
          'Email address verified',
          `You have verified <b>${esc(result.identity)}</b> for use with Amazon SES in region ${esc(result.region)}.` +
            ' You can now send email from this address.',
        ),
      );
  });
}

export function registerVerificationRoutes(app: App, server: FastifyInstance): void {
  verifyEmailRoute(server, app.store);
}
