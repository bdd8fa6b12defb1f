// The checks CreateExportJob makes beyond the model's (required members, enums, lengths, the S3Url
// pattern), in SES's order: one data source, its dimensions (`*` alone, and only beside
// single-valued dimensions), its metrics, its dates. [INF] SES's wording is not recorded.
import { badRequest } from '../errors.js';
import type { ExportRequest } from './run-export.js';

export const exportValidationTexts = {
  oneSource: 'ExportDataSource must contain exactly one of MetricsDataSource or MessageInsightsDataSource.',
  wildcardAlone: (d: string) => `Dimension ${d}: the wildcard "*" cannot be combined with other values.`,
  wildcardSingles:
    'When a dimension has the wildcard "*" value, the other dimensions can only contain one value.',
  metric: 'Each ExportMetric must have a Name and an Aggregation.',
  dates: 'EndDate must be after StartDate.',
  insightDates: 'EndDate must not be before StartDate.',
};

export function exportSourceType(
  src: ExportRequest['ExportDataSource'],
): 'METRICS_DATA' | 'MESSAGE_INSIGHTS' {
  const { MetricsDataSource: m, MessageInsightsDataSource: q } = src;
  if ((m === undefined) === (q === undefined)) throw badRequest(exportValidationTexts.oneSource);
  if (m) {
    const dims = Object.entries(m.Dimensions) as [string, string[]][];
    for (const [d, values] of dims)
      if (values.includes('*') && values.length > 1) throw badRequest(exportValidationTexts.wildcardAlone(d));
    if (dims.some(([, v]) => v.includes('*')) && dims.some(([, v]) => !v.includes('*') && v.length > 1))
      throw badRequest(exportValidationTexts.wildcardSingles);
    if (m.Metrics.some((x) => !x.Name || !x.Aggregation)) throw badRequest(exportValidationTexts.metric);
    if (new Date(m.EndDate).getTime() <= new Date(m.StartDate).getTime())
      throw badRequest(exportValidationTexts.dates);
    return 'METRICS_DATA';
  }
  if (new Date(q!.EndDate).getTime() < new Date(q!.StartDate).getTime())
    throw badRequest(exportValidationTexts.insightDates);
  return 'MESSAGE_INSIGHTS';
}
