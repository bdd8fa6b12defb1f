// Event destinations are stored in the v2 shape; v1 reads and writes them through these mappings
// (v1 `renderingFailure` = v2 `RENDERING_FAILURE`, `SNSDestination.TopicARN` = `SnsDestination.TopicArn`).

export interface EventDestinationDefinition {
  Enabled?: boolean;
  MatchingEventTypes: string[];
  KinesisFirehoseDestination?: { IamRoleArn: string; DeliveryStreamArn: string };
  CloudWatchDestination?: {
    DimensionConfigurations: {
      DimensionName: string;
      DimensionValueSource: string;
      DefaultDimensionValue: string;
    }[];
  };
  SnsDestination?: { TopicArn: string };
  EventBridgeDestination?: { EventBusArn: string };
  PinpointDestination?: { ApplicationArn?: string };
}

const KINDS = [
  'KinesisFirehoseDestination',
  'CloudWatchDestination',
  'SnsDestination',
  'EventBridgeDestination',
  'PinpointDestination',
] as const;

/**
 * Why SES refuses a destination's targets, if it does: exactly one of them per destination, and
 * EventBridge only to the default event bus ("Only the default bus is supported", the API reference).
 * The first two texts as SES answers them [OBS, as reported]; the third [INF].
 */
export function destinationTargetError(d: Partial<EventDestinationDefinition>): string | undefined {
  const given = KINDS.filter((k) => d[k] !== undefined && d[k] !== null);
  if (given.length === 0) return 'Event destination is not provided.';
  if (given.length > 1)
    return 'Please provide only one destination with each request. Either a Firehose Destination or a Cloudwatch Destination or an SNS Destination or an EventBridge Destination.';
  const bus = d.EventBridgeDestination?.EventBusArn;
  if (bus !== undefined && !/^arn:aws[a-z-]*:events:[a-z0-9-]+:\d{12}:event-bus\/default$/.test(bus))
    return `Invalid EventBusArn: ${bus}. Only the default event bus is supported.`;
  return undefined;
}

const V1_TYPES: Record<string, string> = {
  send: 'SEND',
  reject: 'REJECT',
  bounce: 'BOUNCE',
  complaint: 'COMPLAINT',
  delivery: 'DELIVERY',
  open: 'OPEN',
  click: 'CLICK',
  renderingFailure: 'RENDERING_FAILURE',
};
const V2_TYPES = Object.fromEntries(Object.entries(V1_TYPES).map(([a, b]) => [b, a])) as Record<
  string,
  string
>;

const V1_SOURCES: Record<string, string> = {
  messageTag: 'MESSAGE_TAG',
  emailHeader: 'EMAIL_HEADER',
  linkTag: 'LINK_TAG',
};
const V2_SOURCES = Object.fromEntries(Object.entries(V1_SOURCES).map(([a, b]) => [b, a])) as Record<
  string,
  string
>;

interface V1Dimension {
  DimensionName: string;
  DimensionValueSource: string;
  DefaultDimensionValue: string;
}

/** The v1 `EventDestination` structure (its Name is carried beside the definition). */
export interface V1EventDestination {
  Name: string;
  Enabled?: boolean;
  MatchingEventTypes: string[];
  KinesisFirehoseDestination?: { IAMRoleARN: string; DeliveryStreamARN: string };
  CloudWatchDestination?: { DimensionConfigurations: V1Dimension[] };
  SNSDestination?: { TopicARN: string };
}

export function fromV1EventDestination(d: V1EventDestination): EventDestinationDefinition {
  const out: EventDestinationDefinition = {
    Enabled: d.Enabled ?? false,
    MatchingEventTypes: (d.MatchingEventTypes ?? []).map((t) => V1_TYPES[t] ?? t),
  };
  if (d.KinesisFirehoseDestination) {
    out.KinesisFirehoseDestination = {
      IamRoleArn: d.KinesisFirehoseDestination.IAMRoleARN,
      DeliveryStreamArn: d.KinesisFirehoseDestination.DeliveryStreamARN,
    };
  }
  if (d.CloudWatchDestination) {
    out.CloudWatchDestination = {
      DimensionConfigurations: (d.CloudWatchDestination.DimensionConfigurations ?? []).map((c) => ({
        ...c,
        DimensionValueSource: V1_SOURCES[c.DimensionValueSource] ?? c.DimensionValueSource,
      })),
    };
  }
  if (d.SNSDestination) out.SnsDestination = { TopicArn: d.SNSDestination.TopicARN };
  return out;
}

/** v2-only event types (DELIVERY_DELAY, SUBSCRIPTION) and destinations have no v1 form: left out. */
export function toV1EventDestination(name: string, d: EventDestinationDefinition): V1EventDestination {
  const out: V1EventDestination = {
    Name: name,
    Enabled: d.Enabled ?? false,
    MatchingEventTypes: d.MatchingEventTypes.map((t) => V2_TYPES[t]).filter(
      (t): t is string => t !== undefined,
    ),
  };
  if (d.KinesisFirehoseDestination) {
    out.KinesisFirehoseDestination = {
      IAMRoleARN: d.KinesisFirehoseDestination.IamRoleArn,
      DeliveryStreamARN: d.KinesisFirehoseDestination.DeliveryStreamArn,
    };
  }
  if (d.CloudWatchDestination) {
    out.CloudWatchDestination = {
      DimensionConfigurations: d.CloudWatchDestination.DimensionConfigurations.map((c) => ({
        ...c,
        DimensionValueSource: V2_SOURCES[c.DimensionValueSource] ?? c.DimensionValueSource,
      })),
    };
  }
  if (d.SnsDestination) out.SNSDestination = { TopicARN: d.SnsDestination.TopicArn };
  return out;
}

/** Sorted lower-case v1 event types, as the recorded DescribeConfigurationSet answer lists them. */
export function sortedV1Types(types: string[]): string[] {
  return [...types].sort();
}
