// Every STS operation Sesame serves, by its API name (botocore sts 2011-06-15).
import type { OperationTable } from '../api/operation.js';
import { assumeRole } from './assume-role.js';
import { getAccessKeyInfo, getCallerIdentity } from './caller-identity.js';
import { getSessionToken } from './session-token.js';

export const stsOperations: OperationTable = {
  GetCallerIdentity: getCallerIdentity,
  AssumeRole: assumeRole,
  GetSessionToken: getSessionToken,
  GetAccessKeyInfo: getAccessKeyInfo,
};
