// SES v2 export jobs: Create/Get/List/CancelExportJob(s). Authorized as the Service Authorization
// Reference gives them: CreateExportJob and ListExportJobs on `*`, GetExportJob and CancelExportJob on
// the `export-job` ARN, each with `ses:ExportSourceType` (the data source of the job, or the type a
// list is filtered by) when there is one. CreateExportJob runs at most once a second per account
// and region, as SES documents it.
import { AwsError } from '../../errors/aws-error.js';
import type { AuthorizationCheck, CallContext, OperationTable } from '../../api/operation.js';
import { notify } from '../../delivery/notify.js';
import { badRequest, notFound } from '../errors.js';
import { sesArn } from '../state/arn.js';
import { pageSize, toPage } from '../state/paging.js';
import { afterToken, withContext } from '../v2/common.js';
import {
  cancelJob,
  getJob,
  insertJob,
  jobKey,
  latestCreation,
  listJobs,
  type Job,
  type Scope,
} from './jobs.js';
import { exportJob, exportSummary } from './present.js';
import type { ExportRequest } from './run-export.js';
import { exportSourceType } from './validate-export.js';

// [INF] SES's wording of these is not recorded.
export const exportTexts = {
  notFound: (id: string) => `Export job ${id} does not exist.`,
  notCancellable: (id: string, status: string) => `Export job ${id} is ${status} and cannot be cancelled.`,
  rate: 'Rate exceeded: CreateExportJob can be called once per second.',
};

const scopeOf = (ctx: CallContext): Scope => ({ accountId: ctx.caller.accountId, region: ctx.region });

const check = (
  ctx: CallContext,
  operation: string,
  resource: string,
  sourceType: string | undefined,
): AuthorizationCheck[] => [
  {
    action: `ses:${operation}`,
    resource,
    ...withContext(sourceType ? { 'ses:ExportSourceType': sourceType } : {}),
  },
];

// The job authorize read for a call (keyed by its input object), handed to the handler once.
const read = new WeakMap<object, Job | undefined>();

/** An operation on one export job: authorized on its ARN with its source type, then handled. */
const onExportJob = (operation: string, run: (ctx: CallContext, job: Job) => Promise<unknown>) => ({
  async authorize(ctx: CallContext, i: { JobId: string }) {
    const job = await getJob(ctx.store, scopeOf(ctx), 'export', i.JobId);
    read.set(i, job);
    return check(
      ctx,
      operation,
      sesArn(ctx.region, ctx.caller.accountId, 'export-job', i.JobId),
      job?.sourceType,
    );
  },
  async handle(ctx: CallContext, i: { JobId: string }) {
    const job = read.has(i) ? read.get(i) : await getJob(ctx.store, scopeOf(ctx), 'export', i.JobId);
    read.delete(i);
    if (!job) throw notFound(exportTexts.notFound(i.JobId));
    return run(ctx, job);
  },
});

export const exportJobOperations: OperationTable = {
  CreateExportJob: {
    authorize: (ctx: CallContext, i: ExportRequest) => {
      const { MetricsDataSource: m, MessageInsightsDataSource: q } = i.ExportDataSource ?? {};
      const type =
        (m === undefined) === (q === undefined) ? undefined : m ? 'METRICS_DATA' : 'MESSAGE_INSIGHTS';
      return check(ctx, 'CreateExportJob', '*', type);
    },
    async handle(ctx: CallContext, i: ExportRequest) {
      const sourceType = exportSourceType(i.ExportDataSource);
      const last = await latestCreation(ctx.store, scopeOf(ctx), 'export');
      if (last !== undefined && ctx.now.getTime() - last < 1000)
        throw new AwsError('TooManyRequestsException', exportTexts.rate, 429);
      const jobId = await insertJob(
        ctx.store,
        scopeOf(ctx),
        {
          kind: 'export',
          sourceType,
          request: { ExportDataSource: i.ExportDataSource, ExportDestination: i.ExportDestination },
        },
        ctx.now,
      );
      notify('jobs');
      return { JobId: jobId };
    },
  },
  GetExportJob: onExportJob('GetExportJob', exportJob),
  CancelExportJob: onExportJob('CancelExportJob', async (ctx, job) => {
    if (!(await cancelJob(ctx.store, scopeOf(ctx), job.jobId, ctx.now))) {
      const now = await getJob(ctx.store, scopeOf(ctx), 'export', job.jobId);
      throw badRequest(exportTexts.notCancellable(job.jobId, now?.status ?? job.status));
    }
    return {};
  }),
  ListExportJobs: {
    authorize: (ctx: CallContext, i: { ExportSourceType?: string }) =>
      check(ctx, 'ListExportJobs', '*', i.ExportSourceType),
    async handle(
      ctx: CallContext,
      i: { ExportSourceType?: string; JobStatus?: string; NextToken?: string; PageSize?: number },
    ) {
      const after = afterToken(i.NextToken);
      const size = pageSize(i.PageSize, 100, 1000);
      const rows = await listJobs(ctx.store, scopeOf(ctx), 'export', {
        ...(i.ExportSourceType ? { sourceType: i.ExportSourceType } : {}),
        ...(i.JobStatus ? { status: i.JobStatus } : {}),
        ...(after !== undefined ? { after } : {}),
        limit: size + 1,
      });
      const page = toPage(rows, size, jobKey);
      return {
        ExportJobs: page.items.map(exportSummary),
        ...(page.nextToken ? { NextToken: page.nextToken } : {}),
      };
    },
  },
};
