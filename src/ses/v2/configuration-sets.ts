// SES v2 configuration sets, their event destinations and Put*Options. Same rows as v1.
import type { AuthorizationCheck, CallContext, OperationTable } from '../../api/operation.js';
import { sesArn } from '../state/arn.js';
import { DEFAULT_POOL, getPool } from '../state/dedicated-ips.js';
import { onAnyResource } from '../authz.js';
import { alreadyExists, badRequest, limitExceeded, notFound, texts } from '../errors.js';
import {
  deleteConfigurationSet,
  deleteEventDestination,
  insertConfigurationSet,
  insertEventDestination,
  listConfigurationSets,
  listEventDestinations,
  updateConfigurationSet,
  updateEventDestination,
  type ConfigurationSetOptions,
} from '../state/configuration-sets.js';
import { destinationTargetError, type EventDestinationDefinition } from '../state/event-destinations.js';
import type { Tag } from '../state/json.js';
import { pageSize, toPage } from '../state/paging.js';
import { CONFIGURATION_SET_NAME } from '../v1/configuration-sets.js';
import { afterToken } from './common.js';
import { creating, onConfigurationSet as onSet } from './resources.js';
import { checkTags } from './tag-rules.js';

interface CreateInput {
  ConfigurationSetName: string;
  TrackingOptions?: { CustomRedirectDomain: string; HttpsPolicy?: string };
  DeliveryOptions?: { TlsPolicy?: string; SendingPoolName?: string; MaxDeliverySeconds?: number };
  ReputationOptions?: { ReputationMetricsEnabled?: boolean; LastFreshStart?: Date };
  SendingOptions?: { SendingEnabled?: boolean };
  SuppressionOptions?: { SuppressedReasons?: string[]; ValidationOptions?: unknown };
  VdmOptions?: Record<string, unknown>;
  ArchivingOptions?: { ArchiveArn?: string };
  Tags?: Tag[];
}

interface DeliveryOptionsInput {
  ConfigurationSetName: string;
  TlsPolicy?: string;
  SendingPoolName?: string;
  MaxDeliverySeconds?: number;
}

function checkDestination(d: EventDestinationDefinition | undefined): EventDestinationDefinition {
  if (!d) throw badRequest('EventDestination is required.');
  const out: EventDestinationDefinition = {
    ...d,
    Enabled: d.Enabled ?? false,
    MatchingEventTypes: d.MatchingEventTypes ?? [],
  };
  if (out.MatchingEventTypes.length === 0) throw badRequest('MatchingEventTypes must not be empty.');
  const targets = destinationTargetError(out);
  if (targets) throw badRequest(targets);
  return out;
}

/** A SendingPoolName must name a pool of the account (or SES's default or shared pool). */
async function checkSendingPool(ctx: CallContext, name: string | undefined): Promise<void> {
  if (name === undefined || name === DEFAULT_POOL || name === 'ses-shared-pool') return;
  if (!(await getPool(ctx.store, ctx.caller.accountId, ctx.region, name)))
    throw notFound(texts.sendingPoolNotFound(name));
}

/** SAR: a named sending pool is a resource of the call too. */
const withPool =
  <I extends { SendingPoolName?: string; DeliveryOptions?: { SendingPoolName?: string } }>(
    operation: string,
    base: (ctx: CallContext, i: I) => AuthorizationCheck[] | Promise<AuthorizationCheck[]>,
  ) =>
  async (ctx: CallContext, i: I): Promise<AuthorizationCheck[]> => {
    const checks = await base(ctx, i);
    const pool = i.SendingPoolName ?? i.DeliveryOptions?.SendingPoolName;
    if (pool !== undefined)
      checks.push({
        action: `ses:${operation}`,
        resource: sesArn(ctx.region, ctx.caller.accountId, 'dedicated-ip-pool', pool),
      });
    return checks;
  };

async function createConfigurationSet(ctx: CallContext, i: CreateInput): Promise<Record<string, never>> {
  if (!CONFIGURATION_SET_NAME.test(i.ConfigurationSetName ?? '')) {
    throw badRequest(
      `Configuration set name <${i.ConfigurationSetName}> is invalid. Names may contain only letters, numbers, underscores and dashes.`,
    );
  }
  const tags = checkTags(i.Tags);
  await checkSendingPool(ctx, i.DeliveryOptions?.SendingPoolName);
  const options: ConfigurationSetOptions = {};
  if (i.SendingOptions?.SendingEnabled === false) options.sendingEnabled = false;
  if (i.ReputationOptions?.ReputationMetricsEnabled) options.reputationMetricsEnabled = true;
  if (i.ReputationOptions?.LastFreshStart) options.lastFreshStart = i.ReputationOptions.LastFreshStart;
  if (i.TrackingOptions) options.trackingOptions = i.TrackingOptions;
  if (i.DeliveryOptions) options.deliveryOptions = i.DeliveryOptions;
  if (i.SuppressionOptions) options.suppressionOptions = i.SuppressionOptions;
  if (i.VdmOptions) options.vdmOptions = i.VdmOptions;
  if (i.ArchivingOptions) options.archivingOptions = i.ArchivingOptions;
  const created = await insertConfigurationSet(
    ctx.store,
    ctx.caller.accountId,
    ctx.region,
    i.ConfigurationSetName,
    options,
    tags,
    ctx.now,
  );
  if (!created) throw alreadyExists(texts.configSetExists(i.ConfigurationSetName));
  return {};
}

export const configurationSetOperations: OperationTable = {
  CreateConfigurationSet: {
    authorize: withPool<CreateInput>(
      'CreateConfigurationSet',
      creating('configuration-set', 'CreateConfigurationSet'),
    ),
    handle: createConfigurationSet,
  },
  GetConfigurationSet: onSet<{ ConfigurationSetName: string }>(
    'GetConfigurationSet',
    async (ctx, i, found) => {
      const cs = await found.existing();
      return {
        ConfigurationSetName: cs.name,
        ...(cs.trackingOptions ? { TrackingOptions: cs.trackingOptions } : {}),
        ...(cs.deliveryOptions ? { DeliveryOptions: cs.deliveryOptions } : {}),
        ReputationOptions: {
          ReputationMetricsEnabled: cs.reputationMetricsEnabled,
          ...(cs.lastFreshStart ? { LastFreshStart: cs.lastFreshStart } : {}),
        },
        SendingOptions: { SendingEnabled: cs.sendingEnabled },
        Tags: cs.tags,
        ...(cs.suppressionOptions ? { SuppressionOptions: cs.suppressionOptions } : {}),
        ...(cs.vdmOptions ? { VdmOptions: cs.vdmOptions } : {}),
        ...(cs.archivingOptions ? { ArchivingOptions: cs.archivingOptions } : {}),
      };
    },
  ),
  ListConfigurationSets: {
    authorize: onAnyResource('ListConfigurationSets'),
    async handle(ctx: CallContext, i: { NextToken?: string; PageSize?: number }) {
      const after = afterToken(i.NextToken);
      const size = pageSize(i.PageSize, 1000, 1000);
      const names = await listConfigurationSets(ctx.store, ctx.caller.accountId, ctx.region, {
        ...(after !== undefined ? { after } : {}),
        limit: size + 1,
      });
      const page = toPage(names, size, (n) => n);
      return { ConfigurationSets: page.items, ...(page.nextToken ? { NextToken: page.nextToken } : {}) };
    },
  },
  DeleteConfigurationSet: onSet<{ ConfigurationSetName: string }>(
    'DeleteConfigurationSet',
    async (ctx, i) => {
      if (
        !(await deleteConfigurationSet(ctx.store, ctx.caller.accountId, ctx.region, i.ConfigurationSetName))
      ) {
        throw notFound(texts.configSetNotFound(i.ConfigurationSetName));
      }
      return {};
    },
  ),
  CreateConfigurationSetEventDestination: onSet<{
    ConfigurationSetName: string;
    EventDestinationName: string;
    EventDestination: EventDestinationDefinition;
  }>('CreateConfigurationSetEventDestination', async (ctx, i, found) => {
    await found.existing();
    if (!CONFIGURATION_SET_NAME.test(i.EventDestinationName ?? '')) {
      throw badRequest(
        `Event destination name <${i.EventDestinationName}> is invalid. Names may contain only letters, numbers, underscores and dashes.`,
      );
    }
    const res = await insertEventDestination(
      ctx.store,
      ctx.caller.accountId,
      ctx.region,
      i.ConfigurationSetName,
      i.EventDestinationName,
      checkDestination(i.EventDestination),
      ctx.now,
    );
    if (res === 'exists')
      throw alreadyExists(texts.eventDestinationExists(i.EventDestinationName, i.ConfigurationSetName));
    if (res === 'limit') throw limitExceeded(texts.eventDestinationLimit(i.ConfigurationSetName));
    return {};
  }),
  GetConfigurationSetEventDestinations: onSet<{ ConfigurationSetName: string }>(
    'GetConfigurationSetEventDestinations',
    async (ctx, i, found) => {
      await found.existing();
      const ds = await listEventDestinations(
        ctx.store,
        ctx.caller.accountId,
        ctx.region,
        i.ConfigurationSetName,
      );
      return { EventDestinations: ds.map((d) => ({ Name: d.name, ...d.definition })) };
    },
  ),
  UpdateConfigurationSetEventDestination: onSet<{
    ConfigurationSetName: string;
    EventDestinationName: string;
    EventDestination: EventDestinationDefinition;
  }>('UpdateConfigurationSetEventDestination', async (ctx, i, found) => {
    await found.existing();
    const d = checkDestination(i.EventDestination);
    if (
      !(await updateEventDestination(
        ctx.store,
        ctx.caller.accountId,
        ctx.region,
        i.ConfigurationSetName,
        i.EventDestinationName,
        d,
      ))
    ) {
      throw notFound(texts.eventDestinationNotFound(i.ConfigurationSetName));
    }
    return {};
  }),
  DeleteConfigurationSetEventDestination: onSet<{
    ConfigurationSetName: string;
    EventDestinationName: string;
  }>('DeleteConfigurationSetEventDestination', async (ctx, i, found) => {
    await found.existing();
    if (
      !(await deleteEventDestination(
        ctx.store,
        ctx.caller.accountId,
        ctx.region,
        i.ConfigurationSetName,
        i.EventDestinationName,
      ))
    ) {
      throw notFound(texts.eventDestinationNotFound(i.ConfigurationSetName));
    }
    return {};
  }),
  PutConfigurationSetSendingOptions: onSet<{ ConfigurationSetName: string; SendingEnabled?: boolean }>(
    'PutConfigurationSetSendingOptions',
    async (ctx, i, found) => {
      await found.existing();
      await updateConfigurationSet(ctx.store, ctx.caller.accountId, ctx.region, i.ConfigurationSetName, {
        sendingEnabled: i.SendingEnabled === true,
      });
      return {};
    },
  ),
  PutConfigurationSetSuppressionOptions: onSet<{
    ConfigurationSetName: string;
    SuppressedReasons?: string[];
    ValidationOptions?: unknown;
  }>('PutConfigurationSetSuppressionOptions', async (ctx, i, found) => {
    await found.existing();
    await updateConfigurationSet(ctx.store, ctx.caller.accountId, ctx.region, i.ConfigurationSetName, {
      suppressionOptions: {
        SuppressedReasons: i.SuppressedReasons ?? [],
        ...(i.ValidationOptions ? { ValidationOptions: i.ValidationOptions } : {}),
      },
    });
    return {};
  }),
  PutConfigurationSetTrackingOptions: onSet<{
    ConfigurationSetName: string;
    CustomRedirectDomain?: string;
    HttpsPolicy?: string;
  }>('PutConfigurationSetTrackingOptions', async (ctx, i, found) => {
    await found.existing();
    await updateConfigurationSet(ctx.store, ctx.caller.accountId, ctx.region, i.ConfigurationSetName, {
      trackingOptions: i.CustomRedirectDomain
        ? {
            CustomRedirectDomain: i.CustomRedirectDomain,
            ...(i.HttpsPolicy ? { HttpsPolicy: i.HttpsPolicy } : {}),
          }
        : null,
    });
    return {};
  }),
  PutConfigurationSetDeliveryOptions: (() => {
    const op = onSet<DeliveryOptionsInput>('PutConfigurationSetDeliveryOptions', async (ctx, i, found) => {
      await found.existing();
      await checkSendingPool(ctx, i.SendingPoolName);
      const d: NonNullable<ConfigurationSetOptions['deliveryOptions']> = {};
      if (i.TlsPolicy) d.TlsPolicy = i.TlsPolicy;
      if (i.SendingPoolName) d.SendingPoolName = i.SendingPoolName;
      if (i.MaxDeliverySeconds !== undefined) d.MaxDeliverySeconds = i.MaxDeliverySeconds;
      await updateConfigurationSet(ctx.store, ctx.caller.accountId, ctx.region, i.ConfigurationSetName, {
        deliveryOptions: d,
      });
      return {};
    });
    return { authorize: withPool('PutConfigurationSetDeliveryOptions', op.authorize!), handle: op.handle };
  })(),
  PutConfigurationSetReputationOptions: onSet<{
    ConfigurationSetName: string;
    ReputationMetricsEnabled?: boolean;
  }>('PutConfigurationSetReputationOptions', async (ctx, i, found) => {
    await found.existing();
    await updateConfigurationSet(ctx.store, ctx.caller.accountId, ctx.region, i.ConfigurationSetName, {
      reputationMetricsEnabled: i.ReputationMetricsEnabled === true,
    });
    return {};
  }),
};
