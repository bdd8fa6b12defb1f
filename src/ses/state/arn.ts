// SES resource ARNs (docs/spec/ses.md §1.7). The partition is always `aws` here.

export type SesResourceType =
  | 'identity'
  | 'template'
  | 'configuration-set'
  | 'dedicated-ip-pool'
  | 'multi-region-endpoint'
  | 'deliverability-test-report'
  | 'contact-list'
  | 'custom-verification-email-template'
  | 'import-job'
  | 'export-job';

export function sesArn(region: string, accountId: string, type: SesResourceType, name: string): string {
  return `arn:aws:ses:${region}:${accountId}:${type}/${name}`;
}

export const identityArn = (region: string, accountId: string, identity: string): string =>
  sesArn(region, accountId, 'identity', identity);
export const templateArn = (region: string, accountId: string, name: string): string =>
  sesArn(region, accountId, 'template', name);
export const configurationSetArn = (region: string, accountId: string, name: string): string =>
  sesArn(region, accountId, 'configuration-set', name);
export const contactListArn = (region: string, accountId: string, name: string): string =>
  sesArn(region, accountId, 'contact-list', name);
export const customVerificationTemplateArn = (region: string, accountId: string, name: string): string =>
  sesArn(region, accountId, 'custom-verification-email-template', name);
