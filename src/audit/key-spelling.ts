// Condition keys as AWS spells them, for people: records keep them lower-cased, as the policy
// engine compares them (key names are case-insensitive), and the audit API spells them back.
const KNOWN = [
  'aws:CurrentTime',
  'aws:EpochTime',
  'aws:SecureTransport',
  'aws:RequestedRegion',
  'aws:PrincipalAccount',
  'aws:PrincipalType',
  'aws:PrincipalArn',
  'aws:SourceIp',
  'aws:UserAgent',
  'aws:SourceVpc',
  'aws:SourceVpce',
  'aws:VpcSourceIp',
  'aws:userid',
  'aws:username',
  'aws:TagKeys',
  'ses:ApiVersion',
  'ses:FromAddress',
  'ses:FromDisplayName',
  'ses:Recipients',
  'ses:FeedbackAddress',
  'sts:RoleSessionName',
  'sts:ExternalId',
  'sts:SourceIdentity',
  'sts:TransitiveTagKeys',
  'iam:PermissionsBoundary',
  'iam:PolicyARN',
];
const SPELLING = new Map(KNOWN.map((k) => [k.toLowerCase(), k]));
const PREFIXES = ['aws:PrincipalTag/', 'aws:RequestTag/', 'aws:ResourceTag/'];

export function spellKey(key: string): string {
  const lower = key.toLowerCase();
  const known = SPELLING.get(lower);
  if (known) return known;
  for (const p of PREFIXES) if (lower.startsWith(p.toLowerCase())) return p + key.slice(p.length);
  return key;
}
