// SES v1 receipt IP filter operations: create, delete, list (per account and region).
import type { CallContext, OperationTable } from '../../api/operation.js';
import { onAnyResource } from '../authz.js';
import { receiptErrors } from './errors.js';
import { deleteFilter, insertFilter, listFilters, parseCidr } from './filters.js';
import { checkFilterName } from './names.js';
import { scopeOf } from './rule-set-operations.js';

interface FilterInput {
  Filter: { Name: string; IpFilter: { Policy: 'Block' | 'Allow'; Cidr: string } };
}

export const filterOperations: OperationTable = {
  CreateReceiptFilter: {
    authorize: onAnyResource('CreateReceiptFilter'),
    async handle(ctx: CallContext, i: FilterInput) {
      const name = checkFilterName(i.Filter.Name);
      const { Policy: policy, Cidr: cidr } = i.Filter.IpFilter;
      if (!parseCidr(cidr)) throw receiptErrors.invalid(`Invalid CIDR block: ${cidr}`);
      const res = await insertFilter(ctx.store, scopeOf(ctx), { name, policy, cidr }, ctx.now);
      if (res === 'exists') throw receiptErrors.filterExists(name);
      if (res === 'limit') throw receiptErrors.limit('Too many filters');
      return {};
    },
  },
  DeleteReceiptFilter: {
    authorize: onAnyResource('DeleteReceiptFilter'),
    async handle(ctx: CallContext, i: { FilterName: string }) {
      await deleteFilter(ctx.store, scopeOf(ctx), i.FilterName);
      return {};
    },
  },
  ListReceiptFilters: {
    authorize: onAnyResource('ListReceiptFilters'),
    async handle(ctx: CallContext) {
      const filters = await listFilters(ctx.store, scopeOf(ctx));
      return {
        Filters: filters.map((f) => ({ Name: f.name, IpFilter: { Policy: f.policy, Cidr: f.cidr } })),
      };
    },
  },
};
