// What a browser finds at the server's root: `GET /` without a signature goes to the console
// (an AWS client never sends an unsigned GET /: it would be refused anyway), and the favicon.
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';

/** 32x32 PNG in an ICO container: an amber sesame seed. */
const FAVICON = Buffer.from(
  'AAABAAEAICAAAAEAIAC2AgAAFgAAAIlQTkcNChoKAAAADUlIRFIAAAAgAAAAIAgGAAAAc3p69AAAAn1JREFUeNrt1ltTUlEUwHHf/RI+SxcVzfIWJiJqmQZa9OJXycouppmV3e1imWVXMSuIrI8gFoloRClm0gXT3pxZrbX34XguwGwZnPGBPfN/5bf2euDsrKzMyZzNfP69P2zH/Bhocq68c+RsJGxVgojxxg7BMvWWOgh/PdiblmhacYRsK2MOFbTskTHWkruZ52qG6Gs775UN0jKAGmqRoSWXXYX9oV4eYP0exV408UYa3SnjCLVqb8UhCSNotEnGfo008pz74Sc1jD1vgAiW0gAIeZJDEkbQcIOMRZ7tYy0+3QuLT3g/HtevfwhcX0AMUmL1DGM9qoMFaqgWFh7WwnfqgTVbeACEXEooIgLJmJUw1vxgDczfpywQHrCIbwIhR2x9MYhhQ3WJoUEOxbDwQDWE71XDHHXXDHP9ZpjtrxIfQrM+ngzVJIYYVsWw2TvUHvh2W+pWJXy9WekVGgChVTVkYVBYBZkTQwwz8fpMEOrbDaEb2PUK8S1o18chTAFJt9JD2BfEWNfKWcGrVBkEr5StCg2At/ImhkwyFJKhCi0En6nLpbxLJTBD9ZaIb0G7Pj1UzqCgCiqVoZneXTB9UerCTlbgfDHlEB5Cd6u4EKaDJKynGKZ6dsDUOanuIvB3F7mEB0AsW7m+ZFBAD4H/LFUIk12UESY7jfCp0xhY9z+kYn38VgIQw84U8DoKwNeRD77TVJ4npe/EGlYI/i4JSw6B71QefKRObmd9OLGNak35a4nrc69hMSg/DiRh7dRWmDgudWxLet4Mulu185SQlzpKGcDbZoDxtlwYP5JrS+vrCbHohA4yEBQv64a9IfHHczBnHNSP2TPP+8zZ1Oc/aG5X8lkf7TYAAAAASUVORK5CYII=',
  'base64',
);

export const CONSOLE_PATH = '/console/';

/** An unsigned `GET /` (or HEAD), nothing in the query: a person, not an SDK. */
export function isConsoleLanding(req: Pick<IncomingMessage, 'method' | 'url' | 'headers'>): boolean {
  return (
    (req.method === 'GET' || req.method === 'HEAD') &&
    req.url === '/' &&
    req.headers.authorization === undefined
  );
}

export function registerLandingRoutes(server: FastifyInstance): void {
  server.get('/favicon.ico', async (_req, reply) =>
    reply
      .header('content-type', 'image/x-icon')
      .header('cache-control', 'public, max-age=86400')
      .send(FAVICON),
  );
}
