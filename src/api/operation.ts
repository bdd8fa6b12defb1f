// The contract between protocol adapters and domain services: one operation = one function that
// takes the input object the protocol layer parsed from the wire (member names exactly as in the
// botocore model) and returns the output object the protocol layer serializes.
import type { Store } from '../store/database.js';
import type { Config } from '../config/config.js';
import type { CallerPrincipal, ContextValue, NamedPolicy } from '../policy/request.js';
import type { RecordedContext } from '../audit/request-context.js';

/** The authenticated caller, resolved from its access key; cached, invalidated on IAM changes. */
export interface Caller {
  accessKeyId: string;
  accountId: string;
  principal: CallerPrincipal;
  /** User policies (inline, attached managed, every group's) or role policies; empty for root. */
  identityPolicies: NamedPolicy[];
  permissionsBoundary?: NamedPolicy;
  /** Role sessions: the session policies passed to AssumeRole (undefined when none were passed). */
  sessionPolicies?: NamedPolicy[];
  /** `aws:PrincipalTag/*` (session tags override role tags). */
  principalTags: Record<string, string>;
  /** IAM user name (users only): `aws:username`. */
  userName?: string;
  /** `aws:userid`: AIDA… for users, AROA…:session for role sessions, the account id for root. */
  userId: string;
  /** True for STS credentials (ASIA…); SMTP refuses them. */
  temporary: boolean;
  /** Credentials from GetSessionToken (without MFA): IAM refuses them. */
  fromGetSessionToken?: boolean;
  /** A console operator session (the operator token traded for the root's credentials). */
  operator?: boolean;
}

/** Where and how a request arrived: feeds the `aws:*` global condition keys. */
export interface RequestSource {
  ip?: string;
  userAgent?: string;
  secureTransport: boolean;
  sourceVpc?: string;
  sourceVpce?: string;
  vpcSourceIp?: string;
}

export interface CallContext {
  requestId: string;
  /** Region from the SigV4 credential scope (or the SMTP listener's). */
  region: string;
  /** A SigV4a request: the regions its signature is valid in (names or `*` patterns). */
  signingRegionSet?: readonly string[];
  /** Server receive time: `aws:CurrentTime` / `aws:EpochTime`. */
  now: Date;
  caller: Caller;
  source: RequestSource;
  /** `ses:ApiVersion`: '1' for SES v1 Query, '2' for SES v2 REST and SMTP; undefined for IAM/STS. */
  apiVersion?: '1' | '2';
  store: Store;
  config: Config;
  /** Filled while the call runs; the audit record is written from it. */
  audit: AuditNotes;
  /** Aborted when the client has gone away (HTTP): a call that waits stops waiting. */
  signal?: AbortSignal;
}

export interface AuditNotes {
  actions: string[];
  resources: string[];
  decision?: string;
  explanation?: unknown;
  /** The request context of the checks (audit/request-context.ts): a replay decides with it again. */
  context?: RecordedContext;
  /**
   * Set by the front end (API dispatch, SMTP): writes this call's success record with the given
   * transaction's store. A send commits it with its outbox rows, so a MessageId is never answered
   * without its audit record, at no extra commit; `recorded` then tells the front end it is done.
   */
  writeSuccess?: (tx: Store) => Promise<void>;
  recorded?: boolean;
}

/** One authorization check: the action, the resource, and the request-specific context keys. */
export interface AuthorizationCheck {
  action: string;
  resource: string;
  /** Owner of the resource when it may differ from the caller's account (cross-account). */
  resourceAccount?: string;
  /** Request-specific keys (e.g. `ses:FromAddress`); global and principal keys are added by authz/. */
  context?: Record<string, ContextValue>;
  /** Resource-based policies attached to the resource (SES identity policies). */
  resourcePolicies?: NamedPolicy[];
  /** 'trust' for a role's trust policy: it must allow explicitly, even in the same account. */
  resourcePolicyKind?: 'resource' | 'trust';
}

// Inputs and outputs are the model's shapes, typed per operation by their authors; the table is heterogeneous.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface Operation<I = any, O = any> {
  /**
   * The checks this call is authorized by, run before `handle` (all must allow). Omit only when the
   * handler authorizes itself through authz/ (the send path, whose resources depend on lookups).
   */
  authorize?: (ctx: CallContext, input: I) => AuthorizationCheck[] | Promise<AuthorizationCheck[]>;
  handle: (ctx: CallContext, input: I) => Promise<O>;
}

export type OperationTable = Record<string, Operation>;
