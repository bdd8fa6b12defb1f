import { describe, expect, it } from 'vitest';
import { authorize } from '../../policy/index.js';
import { storedPolicy } from '../stored-policies.js';
import {
  awsManagedPolicies,
  awsManagedPolicy,
  awsManagedPolicyById,
  awsManagedPolicyId,
  isAwsManagedArn,
} from './catalog.js';

describe('AWS managed policy catalog', () => {
  it('holds the 1,485 recorded policies under arn:aws:iam::aws:policy/<path><name>, by name', () => {
    const all = awsManagedPolicies();
    expect(all).toHaveLength(1485);
    const ses = awsManagedPolicy('arn:aws:iam::aws:policy/AmazonSESFullAccess');
    expect(ses).toMatchObject({ name: 'AmazonSESFullAccess', path: '/', defaultVersionId: 'v1' });
    expect(JSON.parse(ses!.document())).toEqual({
      Statement: [{ Action: ['ses:*'], Effect: 'Allow', Resource: '*' }],
      Version: '2012-10-17',
    });
    const lambda = awsManagedPolicy('arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole');
    expect(lambda?.path).toBe('/service-role/');
    const names = all.map((p) => p.name.toLowerCase());
    expect(names).toEqual([...names].sort());
    expect(new Set(all.map((p) => p.arn)).size).toBe(1485);
  });

  it('gives each policy a stable IAM-shaped id, found again by id', () => {
    const ids = awsManagedPolicies().map((p) => p.policyId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^ANPA[A-Z2-7]{17}$/);
    const arn = 'arn:aws:iam::aws:policy/AmazonSESReadOnlyAccess';
    expect(awsManagedPolicy(arn)!.policyId).toBe(awsManagedPolicyId(arn));
    expect(awsManagedPolicyById(awsManagedPolicyId(arn))?.arn).toBe(arn);
  });

  it('knows only AWS managed ARNs', () => {
    expect(isAwsManagedArn('arn:aws:iam::aws:policy/ReadOnlyAccess')).toBe(true);
    expect(isAwsManagedArn('arn:aws:iam::111122223333:policy/ReadOnlyAccess')).toBe(false);
    expect(awsManagedPolicy('arn:aws:iam::111122223333:policy/AmazonSESFullAccess')).toBeUndefined();
    expect(awsManagedPolicy('arn:aws:iam::aws:policy/NotAPolicyOfAws')).toBeUndefined();
    // The path is part of the ARN: the same name under another path is another (absent) policy.
    expect(awsManagedPolicy('arn:aws:iam::aws:policy/AWSLambdaBasicExecutionRole')).toBeUndefined();
  });

  it('every document is read and evaluated by the engine without error (none denies by doubt)', () => {
    for (const p of awsManagedPolicies()) {
      const named = storedPolicy(p.arn, 'aws-managed', p.document());
      // A policy that did not parse would come back as the deny-all stand-in.
      expect(named.policy.statements[0]?.sid, p.name).not.toBe('SesameUnreadablePolicy');
      const d = authorize({
        principal: { kind: 'User', arn: 'arn:aws:iam::111122223333:user/u', accountId: '111122223333' },
        action: 'ses:SendEmail',
        resource: 'arn:aws:ses:us-east-1:111122223333:identity/example.com',
        context: {},
        identityPolicies: [named],
      });
      expect(d.error, p.name).toBeUndefined();
    }
  });

  it('AmazonSESReadOnlyAccess allows reads and no sends; AmazonSESFullAccess allows both', () => {
    const decide = (name: string, action: string) =>
      authorize({
        principal: { kind: 'User', arn: 'arn:aws:iam::111122223333:user/u', accountId: '111122223333' },
        action,
        resource: '*',
        context: {},
        identityPolicies: [
          storedPolicy(name, 'aws-managed', awsManagedPolicy(`arn:aws:iam::aws:policy/${name}`)!.document()),
        ],
      }).decision;
    expect(decide('AmazonSESReadOnlyAccess', 'ses:GetAccount')).toBe('Allowed');
    expect(decide('AmazonSESReadOnlyAccess', 'ses:SendEmail')).toBe('ImplicitDeny');
    expect(decide('AmazonSESFullAccess', 'ses:SendEmail')).toBe('Allowed');
  });
});
