// What an address looks like, without mailing it: role mailboxes, disposable-mail domains and
// randomly typed local parts (GetEmailAddressInsights' IsRoleAddress, IsDisposable, IsRandomInput).
// Small built-in lists of the common cases; anything else is "low".

const ROLES = new Set([
  'abuse',
  'admin',
  'administrator',
  'billing',
  'contact',
  'help',
  'hello',
  'hostmaster',
  'info',
  'jobs',
  'marketing',
  'no-reply',
  'noc',
  'noreply',
  'office',
  'postmaster',
  'privacy',
  'root',
  'sales',
  'security',
  'support',
  'team',
  'webmaster',
]);

const DISPOSABLE = new Set([
  '10minutemail.com',
  'discard.email',
  'dispostable.com',
  'getnada.com',
  'guerrillamail.com',
  'guerrillamail.net',
  'maildrop.cc',
  'mailinator.com',
  'mailnesia.com',
  'mintemail.com',
  'mohmal.com',
  'sharklasers.com',
  'temp-mail.org',
  'tempmail.com',
  'throwawaymail.com',
  'trashmail.com',
  'yopmail.com',
]);

export type Confidence = 'LOW' | 'MEDIUM' | 'HIGH';

const localOf = (address: string) =>
  address.slice(0, address.lastIndexOf('@')).toLowerCase().split('+')[0] ?? '';
const domainOf = (address: string) => address.slice(address.lastIndexOf('@') + 1).toLowerCase();

export const isRoleAddress = (address: string): Confidence => (ROLES.has(localOf(address)) ? 'HIGH' : 'LOW');

export function isDisposable(address: string): Confidence {
  const labels = domainOf(address).split('.');
  for (let i = 0; i < labels.length - 1; i++) if (DISPOSABLE.has(labels.slice(i).join('.'))) return 'HIGH';
  return 'LOW';
}

/** Keyboard noise: a long run of letters without vowels, or letters and digits thoroughly mixed. */
export function isRandomInput(address: string): Confidence {
  const local = localOf(address).replace(/[._-]/g, '');
  if (local.length >= 6 && /^[a-z]+$/.test(local) && !/[aeiouy]/.test(local)) return 'HIGH';
  const digits = (local.match(/\d/g) ?? []).length;
  const letters = (local.match(/[a-z]/g) ?? []).length;
  if (local.length >= 12 && digits >= 0.3 * local.length && letters >= 0.3 * local.length) return 'MEDIUM';
  return 'LOW';
}
