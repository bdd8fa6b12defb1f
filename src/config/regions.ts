import { ConfigError, opt, type Env } from './env.js';
// The default of SESAME_REGIONS: a request signed for any other region is refused, as AWS refuses a
// region it does not have.

/** The regions where SES is offered (AWS partition), as botocore's endpoint data lists them. */
export const SES_REGIONS: readonly string[] = [
  'af-south-1',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-south-1',
  'ap-south-2',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
  'ap-southeast-5',
  'ca-central-1',
  'ca-west-1',
  'eu-central-1',
  'eu-central-2',
  'eu-north-1',
  'eu-south-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'il-central-1',
  'me-central-1',
  'me-south-1',
  'sa-east-1',
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
];

const REGION_NAME = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

export function regionList(env: Env): string[] {
  const raw = opt(env, 'SESAME_REGIONS');
  if (raw === undefined) return [...SES_REGIONS];
  const list = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (list.length === 0) throw new ConfigError(`SESAME_REGIONS must list at least one region, got "${raw}"`);
  for (const r of list)
    if (!REGION_NAME.test(r))
      throw new ConfigError(`SESAME_REGIONS: "${r}" is not a region name (like us-east-1)`);
  return [...new Set(list)];
}
