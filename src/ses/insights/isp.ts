// The mailbox provider of a recipient domain, as GetMessageInsights names it (its docs: "Gmail",
// "Yahoo", etc.); undefined for domains outside this list.
const PROVIDERS: [RegExp, string][] = [
  [/^(gmail|googlemail)\.com$/, 'Gmail'],
  [/^(yahoo|ymail|rocketmail)\.[a-z.]+$/, 'Yahoo'],
  [/^(aol|aim)\.com$/, 'AOL'],
  [/^(hotmail|outlook|live|msn|windowslive)\.[a-z.]+$/, 'Hotmail'],
  [/^(icloud|me|mac)\.com$/, 'iCloud'],
  [/^(comcast\.net)$/, 'Comcast'],
];

export function ispOf(address: string): string | undefined {
  const domain = address.slice(address.lastIndexOf('@') + 1).toLowerCase();
  return PROVIDERS.find(([re]) => re.test(domain))?.[1];
}
