// The subscription-preferences page an unsubscribe link opens: the list's topics with the contact's
// status for each, and unsubscribing from all. Plain HTML, no script (its CSP allows none).
import type { Subscription } from './unsubscribe.js';
import { isSubscribed } from './topics.js';

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export const PAGE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'";

const shell = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">` +
  `<title>${esc(title)}</title><style>body{font-family:sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}` +
  `fieldset{margin:1rem 0}label{display:inline-block;margin-right:1rem}.status{background:#e8f5e9;padding:.5rem}</style>` +
  `</head><body><main>${body}</main></body></html>`;

export function preferencesPage(email: string, s: Subscription, status?: string): string {
  const { list, contact } = s;
  const topics = list.topics
    .map((t) => {
      const on = isSubscribed({ ...contact, unsubscribeAll: false }, list.topics, t.TopicName);
      const name = `topic:${t.TopicName}`;
      return (
        `<fieldset><legend>${esc(t.DisplayName)}</legend>` +
        (t.Description ? `<p>${esc(t.Description)}</p>` : '') +
        `<label><input type="radio" name="${esc(name)}" value="OPT_IN"${on ? ' checked' : ''}> Subscribed</label>` +
        `<label><input type="radio" name="${esc(name)}" value="OPT_OUT"${on ? '' : ' checked'}> Unsubscribed</label>` +
        `</fieldset>`
      );
    })
    .join('');
  return shell(
    'Subscription preferences',
    `<h1>Subscription preferences</h1>` +
      (status ? `<p role="status" class="status">${esc(status)}</p>` : '') +
      `<p>For <strong>${esc(email)}</strong> on the list <strong>${esc(list.name)}</strong>.</p>` +
      (list.description ? `<p>${esc(list.description)}</p>` : '') +
      `<form method="post">${topics}` +
      `<p><label><input type="checkbox" name="unsubscribeAll" value="true"${contact.unsubscribeAll ? ' checked' : ''}>` +
      ` Unsubscribe from all topics of this list</label></p>` +
      `<p><button type="submit" name="action" value="save">Save preferences</button> ` +
      `<button type="submit" name="action" value="unsubscribe-all">Unsubscribe from all</button></p></form>`,
  );
}

export const notFoundPage = () =>
  shell(
    'Link not valid',
    '<h1>Link not valid</h1><p>This unsubscribe link is not valid, or its list no longer exists.</p>',
  );

export const oneClickDone = 'You have been unsubscribed.';
