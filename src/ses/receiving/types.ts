// Receipt rules and filters in the API's own shapes (SES v1 model), as they are stored and described.

export interface S3Action {
  BucketName: string;
  ObjectKeyPrefix?: string;
  TopicArn?: string;
  KmsKeyArn?: string;
  IamRoleArn?: string;
}
export interface BounceAction {
  SmtpReplyCode: string;
  StatusCode?: string;
  Message: string;
  Sender: string;
  TopicArn?: string;
}
export interface WorkmailAction {
  OrganizationArn: string;
  TopicArn?: string;
}
export interface LambdaAction {
  FunctionArn: string;
  InvocationType?: 'Event' | 'RequestResponse';
  TopicArn?: string;
}
export interface StopAction {
  Scope: 'RuleSet';
  TopicArn?: string;
}
export interface AddHeaderAction {
  HeaderName: string;
  HeaderValue: string;
}
export interface SNSAction {
  TopicArn: string;
  Encoding?: 'UTF-8' | 'Base64';
}
export interface ConnectAction {
  InstanceARN: string;
  IAMRoleARN: string;
}

/** One element of a rule's Actions; the model allows several members in one element. */
export interface ReceiptAction {
  S3Action?: S3Action;
  BounceAction?: BounceAction;
  WorkmailAction?: WorkmailAction;
  LambdaAction?: LambdaAction;
  StopAction?: StopAction;
  AddHeaderAction?: AddHeaderAction;
  SNSAction?: SNSAction;
  ConnectAction?: ConnectAction;
}

/** The members of ReceiptAction in the model's order: the order they run in when combined. */
export const ACTION_MEMBERS = [
  'S3Action',
  'BounceAction',
  'WorkmailAction',
  'LambdaAction',
  'StopAction',
  'AddHeaderAction',
  'SNSAction',
  'ConnectAction',
] as const;
export type ActionMember = (typeof ACTION_MEMBERS)[number];

export interface ReceiptRule {
  Name: string;
  Enabled: boolean;
  TlsPolicy: 'Require' | 'Optional';
  Recipients: string[];
  Actions: ReceiptAction[];
  ScanEnabled: boolean;
}

/** A rule as a request carries it: everything but the name may be absent. */
export interface ReceiptRuleInput {
  Name: string;
  Enabled?: boolean;
  TlsPolicy?: 'Require' | 'Optional';
  Recipients?: string[];
  Actions?: ReceiptAction[];
  ScanEnabled?: boolean;
}

export interface ReceiptRuleSet {
  name: string;
  createdAt: Date;
  rules: ReceiptRule[];
}

export interface ReceiptFilter {
  name: string;
  policy: 'Block' | 'Allow';
  cidr: string;
  createdAt: Date;
}
