import { describe, expect, it } from 'vitest';
import { loadModel } from './model.js';
import { validationErrors, validationMessage } from './validate.js';

const iam = loadModel('iam');
const ses = loadModel('ses');
const sesv2 = loadModel('sesv2');

describe('model validation in AWS words', () => {
  it('accepts a valid input', () => {
    expect(validationErrors(iam, 'CreateUserRequest', { UserName: 'alice', Path: '/eng/' })).toEqual([]);
    expect(validationMessage([])).toBeUndefined();
  });

  it('reports every failed constraint of a value, length before pattern', () => {
    const errors = validationErrors(loadModel('sts'), 'AssumeRoleRequest', {
      RoleArn: 'arn:aws:iam::123456789012:role/r',
      RoleSessionName: '!',
    });
    expect(validationMessage(errors)).toBe(
      "2 validation errors detected: Value '!' at 'roleSessionName' failed to satisfy constraint: Member must have " +
        "length greater than or equal to 2; Value '!' at 'roleSessionName' failed to satisfy constraint: Member must " +
        'satisfy regular expression pattern: [\\w+=,.@-]*',
    );
  });

  it('enum values, list lengths and nested paths', () => {
    expect(validationErrors(ses, 'ListIdentitiesRequest', { IdentityType: 'Phone' })).toEqual([
      "Value 'Phone' at 'identityType' failed to satisfy constraint: Member must satisfy enum value set: [EmailAddress, Domain]",
    ]);
    const tags = Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    const [first] = validationErrors(iam, 'CreateUserRequest', { UserName: 'a', Tags: tags });
    expect(first).toMatch(
      /^Value '\[\{Key=k0, Value=v\}, .*\]' at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50$/,
    );
    expect(
      validationErrors(ses, 'SendEmailRequest', {
        Source: 's',
        Destination: {},
        Message: { Subject: {}, Body: {} },
      }),
    ).toEqual(["Value null at 'message.subject.data' failed to satisfy constraint: Member must not be null"]);
  });

  it('does not echo sensitive values', () => {
    expect(validationErrors(iam, 'CreateLoginProfileRequest', { UserName: 'a', Password: '' })).toEqual([
      "Value at 'password' failed to satisfy constraint: Member must have length greater than or equal to 1",
      "Value at 'password' failed to satisfy constraint: Member must satisfy regular expression pattern: " +
        '[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+',
    ]);
  });

  it('numbers use "value", maps check keys and values', () => {
    expect(validationErrors(sesv2, 'ListEmailIdentitiesRequest', { PageSize: 1001 })).toEqual([]);
    expect(validationErrors(iam, 'ListUsersRequest', { MaxItems: 0 })).toEqual([
      "Value '0' at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1",
    ]);
    expect(validationErrors(sesv2, 'GetEmailIdentityPoliciesResponse', { Policies: { '': '{}' } })).toEqual([
      "Value '' at 'policies..key' failed to satisfy constraint: Member must have length greater than or equal to 1",
    ]);
  });
});
