// SES v1 configuration-set operations. Event destinations and options are stored in v2 shapes and
// mapped here; texts of the recorded AWS errors (aws-recorded/ses-responses.json).
import type { CallContext, Operation, OperationTable } from '../../api/operation.js';
import { onAnyResource, onResource } from '../authz.js';
import { invalidParameter, texts, v1Error } from '../errors.js';
import { configurationSetArn } from '../state/arn.js';
import {
  deleteConfigurationSet,
  deleteEventDestination,
  getConfigurationSet,
  insertConfigurationSet,
  insertEventDestination,
  listConfigurationSets,
  listEventDestinations,
  updateConfigurationSet,
  updateEventDestination,
  type ConfigurationSet,
} from '../state/configuration-sets.js';
import {
  destinationTargetError,
  fromV1EventDestination,
  sortedV1Types,
  toV1EventDestination,
  type V1EventDestination,
} from '../state/event-destinations.js';
import { decodeNextToken, pageSize, toPage } from '../state/paging.js';

export const CONFIGURATION_SET_NAME = /^[A-Za-z0-9_-]{1,64}$/;

const onSet = <I extends { ConfigurationSetName: string }>(
  name: string,
  handle: (ctx: CallContext, input: I) => Promise<unknown>,
): Operation<I> => ({
  authorize: onResource<I>(name, (ctx, i) =>
    configurationSetArn(ctx.region, ctx.caller.accountId, i.ConfigurationSetName),
  ),
  handle,
});

async function requireSet(ctx: CallContext, name: string): Promise<ConfigurationSet> {
  const cs = await getConfigurationSet(ctx.store, ctx.caller.accountId, ctx.region, name);
  if (!cs) throw v1Error('ConfigurationSetDoesNotExist', texts.configSetNotFound(name));
  return cs;
}

function checkEventDestination(d: V1EventDestination | undefined): V1EventDestination {
  if (!d || !d.Name) throw invalidParameter('Event destination name cannot be empty.');
  if (!CONFIGURATION_SET_NAME.test(d.Name)) {
    throw invalidParameter(
      `Event destination name <${d.Name}> is invalid. Names may contain only letters, numbers, underscores and dashes.`,
    );
  }
  if (!d.MatchingEventTypes || d.MatchingEventTypes.length === 0)
    throw invalidParameter('MatchingEventTypes must not be empty.');
  const targets = destinationTargetError(fromV1EventDestination(d));
  if (targets) throw invalidParameter(targets);
  return d;
}

const TLS_V1: Record<string, string> = { REQUIRE: 'Require', OPTIONAL: 'Optional' };

export const configurationSetOperations: OperationTable = {
  CreateConfigurationSet: {
    authorize: onAnyResource('CreateConfigurationSet'),
    async handle(ctx: CallContext, i: { ConfigurationSet?: { Name?: string } }) {
      const name = i.ConfigurationSet?.Name ?? '';
      if (!CONFIGURATION_SET_NAME.test(name)) {
        throw v1Error(
          'InvalidConfigurationSet',
          `Configuration set name <${name}> is invalid. Names may contain only letters, numbers, underscores and dashes.`,
        );
      }
      const created = await insertConfigurationSet(
        ctx.store,
        ctx.caller.accountId,
        ctx.region,
        name,
        {},
        [],
        ctx.now,
      );
      if (!created) throw v1Error('ConfigurationSetAlreadyExists', texts.configSetExists(name));
      return {};
    },
  },
  DeleteConfigurationSet: onSet<{ ConfigurationSetName: string }>(
    'DeleteConfigurationSet',
    async (ctx, i) => {
      if (
        !(await deleteConfigurationSet(ctx.store, ctx.caller.accountId, ctx.region, i.ConfigurationSetName))
      ) {
        throw v1Error('ConfigurationSetDoesNotExist', texts.configSetNotFound(i.ConfigurationSetName));
      }
      return {};
    },
  ),
  DescribeConfigurationSet: onSet<{
    ConfigurationSetName: string;
    ConfigurationSetAttributeNames?: string[];
  }>('DescribeConfigurationSet', async (ctx, i) => {
    const cs = await requireSet(ctx, i.ConfigurationSetName);
    const want = new Set(i.ConfigurationSetAttributeNames ?? []);
    const out: Record<string, unknown> = { ConfigurationSet: { Name: cs.name } };
    if (want.has('eventDestinations')) {
      const ds = await listEventDestinations(ctx.store, ctx.caller.accountId, ctx.region, cs.name);
      out.EventDestinations = ds.map((d) => {
        const v1 = toV1EventDestination(d.name, d.definition);
        return { ...v1, MatchingEventTypes: sortedV1Types(v1.MatchingEventTypes) };
      });
    }
    if (want.has('trackingOptions') && cs.trackingOptions)
      out.TrackingOptions = { CustomRedirectDomain: cs.trackingOptions.CustomRedirectDomain };
    if (want.has('deliveryOptions') && cs.deliveryOptions?.TlsPolicy) {
      out.DeliveryOptions = {
        TlsPolicy: TLS_V1[cs.deliveryOptions.TlsPolicy] ?? cs.deliveryOptions.TlsPolicy,
      };
    }
    if (want.has('reputationOptions')) {
      out.ReputationOptions = {
        SendingEnabled: cs.sendingEnabled,
        ReputationMetricsEnabled: cs.reputationMetricsEnabled,
        ...(cs.lastFreshStart ? { LastFreshStart: cs.lastFreshStart } : {}),
      };
    }
    return out;
  }),
  ListConfigurationSets: {
    authorize: onAnyResource('ListConfigurationSets'),
    async handle(ctx: CallContext, i: { NextToken?: string; MaxItems?: number }) {
      const after = decodeNextToken(i.NextToken);
      if (after === null) throw invalidParameter(texts.invalidNextToken);
      const size = pageSize(i.MaxItems, 1000, 1000);
      const names = await listConfigurationSets(ctx.store, ctx.caller.accountId, ctx.region, {
        ...(after !== undefined ? { after } : {}),
        limit: size + 1,
      });
      const page = toPage(names, size, (n) => n);
      return {
        ConfigurationSets: page.items.map((Name) => ({ Name })),
        ...(page.nextToken ? { NextToken: page.nextToken } : {}),
      };
    },
  },
  CreateConfigurationSetEventDestination: onSet<{
    ConfigurationSetName: string;
    EventDestination: V1EventDestination;
  }>('CreateConfigurationSetEventDestination', async (ctx, i) => {
    await requireSet(ctx, i.ConfigurationSetName);
    const d = checkEventDestination(i.EventDestination);
    const res = await insertEventDestination(
      ctx.store,
      ctx.caller.accountId,
      ctx.region,
      i.ConfigurationSetName,
      d.Name,
      fromV1EventDestination(d),
      ctx.now,
    );
    if (res === 'exists')
      throw v1Error(
        'EventDestinationAlreadyExists',
        texts.eventDestinationExists(d.Name, i.ConfigurationSetName),
      );
    if (res === 'limit') throw v1Error('LimitExceeded', texts.eventDestinationLimit(i.ConfigurationSetName));
    return {};
  }),
  UpdateConfigurationSetEventDestination: onSet<{
    ConfigurationSetName: string;
    EventDestination: V1EventDestination;
  }>('UpdateConfigurationSetEventDestination', async (ctx, i) => {
    await requireSet(ctx, i.ConfigurationSetName);
    const d = checkEventDestination(i.EventDestination);
    if (
      !(await updateEventDestination(
        ctx.store,
        ctx.caller.accountId,
        ctx.region,
        i.ConfigurationSetName,
        d.Name,
        fromV1EventDestination(d),
      ))
    ) {
      throw v1Error('EventDestinationDoesNotExist', texts.eventDestinationNotFound(i.ConfigurationSetName));
    }
    return {};
  }),
  DeleteConfigurationSetEventDestination: onSet<{
    ConfigurationSetName: string;
    EventDestinationName: string;
  }>('DeleteConfigurationSetEventDestination', async (ctx, i) => {
    await requireSet(ctx, i.ConfigurationSetName);
    if (
      !(await deleteEventDestination(
        ctx.store,
        ctx.caller.accountId,
        ctx.region,
        i.ConfigurationSetName,
        i.EventDestinationName,
      ))
    ) {
      throw v1Error('EventDestinationDoesNotExist', texts.eventDestinationNotFound(i.ConfigurationSetName));
    }
    return {};
  }),
  CreateConfigurationSetTrackingOptions: onSet<{
    ConfigurationSetName: string;
    TrackingOptions: { CustomRedirectDomain?: string };
  }>('CreateConfigurationSetTrackingOptions', async (ctx, i) => {
    const cs = await requireSet(ctx, i.ConfigurationSetName);
    if (cs.trackingOptions) {
      throw v1Error(
        'TrackingOptionsAlreadyExistsException',
        `Tracking options already exist for configuration set <${cs.name}>.`,
      );
    }
    await updateConfigurationSet(ctx.store, ctx.caller.accountId, ctx.region, cs.name, {
      trackingOptions: { CustomRedirectDomain: i.TrackingOptions?.CustomRedirectDomain ?? '' },
    });
    return {};
  }),
  UpdateConfigurationSetTrackingOptions: onSet<{
    ConfigurationSetName: string;
    TrackingOptions: { CustomRedirectDomain?: string };
  }>('UpdateConfigurationSetTrackingOptions', async (ctx, i) => {
    const cs = await requireSet(ctx, i.ConfigurationSetName);
    if (!cs.trackingOptions) {
      throw v1Error(
        'TrackingOptionsDoesNotExistException',
        `Tracking options do not exist for configuration set <${cs.name}>.`,
      );
    }
    await updateConfigurationSet(ctx.store, ctx.caller.accountId, ctx.region, cs.name, {
      trackingOptions: {
        ...cs.trackingOptions,
        CustomRedirectDomain: i.TrackingOptions?.CustomRedirectDomain ?? '',
      },
    });
    return {};
  }),
  DeleteConfigurationSetTrackingOptions: onSet<{ ConfigurationSetName: string }>(
    'DeleteConfigurationSetTrackingOptions',
    async (ctx, i) => {
      const cs = await requireSet(ctx, i.ConfigurationSetName);
      if (!cs.trackingOptions) {
        throw v1Error(
          'TrackingOptionsDoesNotExistException',
          `Tracking options do not exist for configuration set <${cs.name}>.`,
        );
      }
      await updateConfigurationSet(ctx.store, ctx.caller.accountId, ctx.region, cs.name, {
        trackingOptions: null,
      });
      return {};
    },
  ),
  PutConfigurationSetDeliveryOptions: onSet<{
    ConfigurationSetName: string;
    DeliveryOptions?: { TlsPolicy?: string };
  }>('PutConfigurationSetDeliveryOptions', async (ctx, i) => {
    const cs = await requireSet(ctx, i.ConfigurationSetName);
    const tls = i.DeliveryOptions?.TlsPolicy;
    await updateConfigurationSet(ctx.store, ctx.caller.accountId, ctx.region, cs.name, {
      deliveryOptions: {
        ...cs.deliveryOptions,
        ...(tls ? { TlsPolicy: tls.toUpperCase() } : { TlsPolicy: 'OPTIONAL' }),
      },
    });
    return {};
  }),
  UpdateConfigurationSetReputationMetricsEnabled: onSet<{ ConfigurationSetName: string; Enabled: boolean }>(
    'UpdateConfigurationSetReputationMetricsEnabled',
    async (ctx, i) => {
      await requireSet(ctx, i.ConfigurationSetName);
      await updateConfigurationSet(ctx.store, ctx.caller.accountId, ctx.region, i.ConfigurationSetName, {
        reputationMetricsEnabled: i.Enabled === true,
      });
      return {};
    },
  ),
  UpdateConfigurationSetSendingEnabled: onSet<{ ConfigurationSetName: string; Enabled: boolean }>(
    'UpdateConfigurationSetSendingEnabled',
    async (ctx, i) => {
      await requireSet(ctx, i.ConfigurationSetName);
      await updateConfigurationSet(ctx.store, ctx.caller.accountId, ctx.region, i.ConfigurationSetName, {
        sendingEnabled: i.Enabled === true,
      });
      return {};
    },
  ),
};
