// The mailbox API's answers as the console reads them (GET /sesame/mailbox/messages[/ID[/timeline]]).

export interface MessageSummary {
  Id: string;
  MessageId: string;
  Kind?: string;
  From?: string;
  /** The From display name, decoded. */
  FromName?: string;
  Recipients: string[];
  Subject?: string;
  Size?: number;
  AcceptedAt?: string;
  DeliveredAt?: string;
  /** Kind `simulated`: what the mailbox simulator did with each recipient. */
  SimulatorOutcomes?: { Recipient: string; Outcome: string }[];
}

export interface MessagePage {
  Messages: MessageSummary[];
  NextToken?: string;
}

export interface FullMessage {
  Id: string;
  Kind?: string;
  FromName?: string;
  SimulatorOutcomes?: { Recipient: string; Outcome: string }[];
  /** Images on other hosts in the HTML part (blocked until asked for). */
  RemoteImages?: number;
  Subject?: string;
  From: string[];
  To: string[];
  Cc: string[];
  Date?: string;
  Headers: { Name: string; Value: string }[];
  Text?: string;
  Html?: string;
  Attachments: {
    Filename?: string;
    ContentType: string;
    Size: number;
    ContentId?: string;
    Inline?: boolean;
  }[];
}

export interface MessageTimeline {
  MessageId: string;
  Status: string;
  Attempts: number;
  NextAttemptAt?: string;
  LastError?: string;
  Accepted: {
    Timestamp: string;
    Operation: string;
    PrincipalArn: string;
    Source?: string;
    Recipients?: string[];
    ConfigurationSet?: string;
  };
  Authorization?: { RequestId: string; Decision: string; Actions: string[]; Resources: string[] };
  Events: { EventId: string; Type: string; Timestamp: string; Recipients: string[] }[];
}

/** The timeline of a received message (Kind `inbound`): arrival, verdicts, receipt actions in order. */
export interface InboundTimeline {
  MessageId: string;
  Kind: 'inbound';
  Status: string;
  NextAttemptAt?: string;
  LastError?: string;
  Received: {
    Timestamp: string;
    MailFrom: string;
    Recipients: string[];
    RemoteIp: string;
    Helo: string;
    Tls: boolean;
    RuleSet: string;
  };
  Verdicts: Record<string, string>;
  Trace: {
    Timestamp: string;
    Event: string;
    Rule?: string;
    Rules?: string[];
    Action?: string;
    Position?: number;
    Outcome?: string;
    Attempt?: number;
    Stop?: string;
    Detail?: string;
  }[];
}

/** The list's filters, as the API's query members. */
export interface MailboxFilters {
  q: string;
  recipient: string;
  identity: string;
  /** ISO 8601, or empty. */
  since: string;
}

export const NO_FILTERS: MailboxFilters = { q: '', recipient: '', identity: '', since: '' };

export const LIST_PATH = '/sesame/mailbox/messages';
export const messagePath = (id: string): string => `${LIST_PATH}/${encodeURIComponent(id)}`;
