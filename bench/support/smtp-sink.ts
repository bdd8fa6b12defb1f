// The bare SMTP ceiling: smtp-server with Sesame's TLS certificate, no AUTH and no processing (the
// message drained and dropped). In the benchmark's process (`startSink`) or, run as a script, in a
// process of its own that prints its port.
//
//   node --import tsx bench/support/smtp-sink.ts [--implicit-tls]   -> the port on stdout
import { pathToFileURL } from 'node:url';
import { SMTPServer } from 'smtp-server';
import { testCertificate } from '../../src/smtp/test-support.js';

export async function startSink(implicitTls: boolean): Promise<{ port: number; stop: () => Promise<void> }> {
  const tls = await testCertificate();
  const server = new SMTPServer({
    secure: implicitTls,
    key: tls.key,
    cert: tls.cert,
    authOptional: true,
    disableReverseLookup: true,
    logger: false,
    size: 41_943_040,
    closeTimeout: 200,
    onData(stream, _session, callback) {
      stream.on('end', () => callback(null, 'Ok'));
      stream.resume();
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const addr = server.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return { port, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const sink = await startSink(process.argv.includes('--implicit-tls'));
  process.stdout.write(`${sink.port}\n`);
  process.once('SIGTERM', () => void sink.stop().then(() => process.exit(0)));
}
