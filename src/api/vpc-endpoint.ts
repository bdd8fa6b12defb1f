// VPC interface endpoints (`SESAME_VPC_*`): a listener that stands for endpoint `vpce-…` of VPC
// `vpc-…`. What a request arriving there carries, as AWS gives it: aws:SourceVpce, aws:SourceVpc
// and aws:VpcSourceIp (the client's address), and no aws:SourceIp (absent through an endpoint).
import type { RequestSource } from './operation.js';

export interface VpcEndpoint {
  /** `vpce-…`: aws:SourceVpce. */
  endpointId: string;
  /** `vpc-…`: aws:SourceVpc. */
  vpcId: string;
}

/** The source of a request from `ip` (the peer, or the trusted proxies' forwarded hop). */
export function requestSource(
  ip: string | undefined,
  secureTransport: boolean,
  userAgent: string | undefined,
  endpoint: VpcEndpoint | undefined,
): RequestSource {
  if (!endpoint) return { ip, userAgent, secureTransport };
  return {
    userAgent,
    secureTransport,
    sourceVpc: endpoint.vpcId,
    sourceVpce: endpoint.endpointId,
    ...(ip !== undefined ? { vpcSourceIp: ip } : {}),
  };
}
