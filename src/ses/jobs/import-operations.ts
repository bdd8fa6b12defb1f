// SES v2 import jobs: Create/Get/ListImportJob(s). Authorized as the Service Authorization
// Reference gives them: CreateImportJob and ListImportJobs on `*` (no resource type), GetImportJob on
// the `import-job` ARN. The job runs in the background (worker.ts); Create answers its id at once.
import type { CallContext, OperationTable } from '../../api/operation.js';
import { notify } from '../../delivery/notify.js';
import { onAnyResource, onResource } from '../authz.js';
import { badRequest, notFound } from '../errors.js';
import { getContactList } from '../lists/contact-lists.js';
import { listTexts } from '../lists/validate.js';
import { sesArn } from '../state/arn.js';
import { pageSize, toPage } from '../state/paging.js';
import { afterToken } from '../v2/common.js';
import { getJob, insertJob, jobKey, listJobs, type Scope } from './jobs.js';
import { importJob, importSummary } from './present.js';
import type { ImportRequest } from './run-import.js';

// [INF] SES's wording of these is not recorded.
export const importTexts = {
  notFound: (id: string) => `Import job ${id} does not exist.`,
  oneDestination:
    'ImportDestination must contain exactly one of SuppressionListDestination or ContactListDestination.',
};

const scopeOf = (ctx: CallContext): Scope => ({ accountId: ctx.caller.accountId, region: ctx.region });

export const importJobOperations: OperationTable = {
  CreateImportJob: {
    authorize: onAnyResource('CreateImportJob'),
    async handle(ctx: CallContext, i: ImportRequest) {
      const { SuppressionListDestination: suppression, ContactListDestination: contacts } =
        i.ImportDestination;
      if ((suppression === undefined) === (contacts === undefined))
        throw badRequest(importTexts.oneDestination);
      if (
        contacts &&
        !(await getContactList(ctx.store, ctx.caller.accountId, ctx.region, contacts.ContactListName))
      )
        throw badRequest(listTexts.listNotFound(contacts.ContactListName));
      const jobId = await insertJob(
        ctx.store,
        scopeOf(ctx),
        {
          kind: 'import',
          sourceType: suppression ? 'SUPPRESSION_LIST' : 'CONTACT_LIST',
          request: { ImportDestination: i.ImportDestination, ImportDataSource: i.ImportDataSource },
        },
        ctx.now,
      );
      notify('jobs');
      return { JobId: jobId };
    },
  },
  GetImportJob: {
    authorize: onResource('GetImportJob', (ctx, i: { JobId: string }) =>
      sesArn(ctx.region, ctx.caller.accountId, 'import-job', i.JobId),
    ),
    async handle(ctx: CallContext, i: { JobId: string }) {
      const job = await getJob(ctx.store, scopeOf(ctx), 'import', i.JobId);
      if (!job) throw notFound(importTexts.notFound(i.JobId));
      return importJob(ctx, job);
    },
  },
  ListImportJobs: {
    authorize: onAnyResource('ListImportJobs'),
    async handle(
      ctx: CallContext,
      i: { ImportDestinationType?: string; NextToken?: string; PageSize?: number },
    ) {
      const after = afterToken(i.NextToken);
      const size = pageSize(i.PageSize, 100, 1000);
      const rows = await listJobs(ctx.store, scopeOf(ctx), 'import', {
        ...(i.ImportDestinationType ? { sourceType: i.ImportDestinationType } : {}),
        ...(after !== undefined ? { after } : {}),
        limit: size + 1,
      });
      const page = toPage(rows, size, jobKey);
      return {
        ImportJobs: page.items.map(importSummary),
        ...(page.nextToken ? { NextToken: page.nextToken } : {}),
      };
    },
  },
};
