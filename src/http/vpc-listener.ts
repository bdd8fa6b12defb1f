// The HTTP side of a VPC interface endpoint (`SESAME_VPC_HTTP_PORT`): one more listener serving the
// very same handler as the main one, whose connections are known to come through the endpoint.
// The endpoint travels with the connection, so every route (API, console) sees it the same way.
import {
  createServer,
  type IncomingMessage,
  type RequestListener,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { VpcEndpoint } from '../api/vpc-endpoint.js';

const endpoints = new WeakMap<Socket, VpcEndpoint>();

/** The endpoint a connection came through; undefined on the public listeners. */
export function vpcEndpointOf(socket: Socket): VpcEndpoint | undefined {
  return endpoints.get(socket);
}

export interface VpcHttpListener {
  port: number;
  close(): Promise<void>;
}

export async function listenVpcEndpoint(
  http: FastifyInstance,
  endpoint: VpcEndpoint,
  host: string,
  port: number,
  /** The public listener's limits (timeouts, connection caps), applied to this one too. */
  applyLimits: (server: Server) => void,
): Promise<VpcHttpListener> {
  const main = http.server;
  const [handler] = main.listeners('request') as RequestListener<
    typeof IncomingMessage,
    typeof ServerResponse
  >[];
  if (!handler) throw new Error('the HTTP server has no request handler yet');
  const server = createServer({ connectionsCheckingInterval: 1000 }, handler);
  // The public listener's connection settings hold here too.
  server.keepAliveTimeout = main.keepAliveTimeout;
  server.maxHeadersCount = main.maxHeadersCount;
  applyLimits(server);
  server.on('connection', (socket: Socket) => endpoints.set(socket, endpoint));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address();
  return {
    port: typeof addr === 'object' && addr ? addr.port : port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}
