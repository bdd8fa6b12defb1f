// IAM ARNs (docs/spec/iam.md §5.1). Paths are '/' or '/a/b/', so `${kind}${path}${name}` is the resource part.

export const userArn = (accountId: string, path: string, name: string): string =>
  `arn:aws:iam::${accountId}:user${path}${name}`;
export const groupArn = (accountId: string, path: string, name: string): string =>
  `arn:aws:iam::${accountId}:group${path}${name}`;
export const roleArn = (accountId: string, path: string, name: string): string =>
  `arn:aws:iam::${accountId}:role${path}${name}`;
export const policyArn = (accountId: string, path: string, name: string): string =>
  `arn:aws:iam::${accountId}:policy${path}${name}`;
export const rootArn = (accountId: string): string => `arn:aws:iam::${accountId}:root`;
/** Session ARNs carry no role path. */
export const assumedRoleArn = (accountId: string, roleName: string, sessionName: string): string =>
  `arn:aws:sts::${accountId}:assumed-role/${roleName}/${sessionName}`;

export interface PolicyArnParts {
  accountId: string;
  path: string;
  name: string;
}

/** `arn:aws:iam::A:policy/path/name` -> parts; undefined when not a policy ARN. */
export function parsePolicyArn(arn: string): PolicyArnParts | undefined {
  const m = /^arn:aws:iam::(\d{12}|aws):policy(\/(?:[^/]+\/)*)([^/]+)$/.exec(arn);
  if (!m) return undefined;
  return { accountId: m[1]!, path: m[2]!, name: m[3]! };
}
