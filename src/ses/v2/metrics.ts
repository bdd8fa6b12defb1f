// v2 BatchGetMetricData: up to 10 queries answered from the recorded delivery events.
import type { OperationTable } from '../../api/operation.js';
import { DAY_MS, metricData, type MetricQuery, type VdmMetric } from '../../delivery/metrics.js';
import { AwsError } from '../../errors/aws-error.js';
import { onAnyResource } from '../authz.js';

interface Query {
  Id: string;
  Namespace: 'VDM';
  Metric: VdmMetric;
  Dimensions?: Record<string, string>;
  StartDate: Date;
  EndDate: Date;
}

/**
 * [INF] SES documents no bound on a query's period; each day is computed and answered, and a period
 * of centuries took a gigabyte of heap and seconds of the event loop per query (ten per call).
 * Ten years is more than VDM has existed.
 */
const MAX_QUERY_DAYS = 3660;

export const metricsOperations: OperationTable = {
  BatchGetMetricData: {
    authorize: onAnyResource('BatchGetMetricData'),
    async handle(ctx, input: { Queries: Query[] }) {
      for (const q of input.Queries) {
        if (q.EndDate.getTime() <= q.StartDate.getTime())
          throw new AwsError('BadRequestException', `Query ${q.Id}: EndDate must be after StartDate.`, 400);
        const days = Math.ceil(
          (q.EndDate.getTime() - Math.floor(q.StartDate.getTime() / DAY_MS) * DAY_MS) / DAY_MS,
        );
        if (days > MAX_QUERY_DAYS)
          throw new AwsError(
            'BadRequestException',
            `Query ${q.Id}: StartDate to EndDate covers ${days} days; a query can cover at most ${MAX_QUERY_DAYS}.`,
            400,
          );
      }
      const Results = [];
      for (const q of input.Queries) {
        const query: MetricQuery = {
          metric: q.Metric,
          start: q.StartDate,
          end: q.EndDate,
          dimensions: q.Dimensions ?? {},
        };
        Results.push({ Id: q.Id, ...(await metricData(ctx.store, ctx.caller.accountId, ctx.region, query)) });
      }
      return { Results, Errors: [] };
    },
  },
};
