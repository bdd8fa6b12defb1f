// Spam and virus verdicts from the operator's scanners, over their own line protocols:
// SpamAssassin's spamd (`CHECK SPAMC/1.5`, answer `Spam: True ; 15.0 / 5.0`) and ClamAV's clamd
// (`zINSTREAM`, answer `stream: OK` or `stream: <name> FOUND`). Anything else a scanner says, or
// its silence past the timeout, is PROCESSING_FAILED, as SES reports a scan that did not complete.
import { connect } from 'node:net';
import type { HostPort } from '../config/receiving.js';

export type ScanStatus = 'PASS' | 'FAIL' | 'PROCESSING_FAILED';

/** Writes `request` to host:port and resolves with everything the peer sends until it closes. */
function exchange(target: HostPort, request: Buffer[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(target.port, target.host);
    const chunks: Buffer[] = [];
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error('scanner timed out')));
    socket.on('connect', () => {
      for (const part of request) socket.write(part);
      socket.end();
    });
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
  });
}

export async function spamdVerdict(target: HostPort, raw: Buffer, timeoutMs = 15_000): Promise<ScanStatus> {
  try {
    const head = Buffer.from(`CHECK SPAMC/1.5\r\nContent-length: ${raw.length}\r\n\r\n`);
    const answer = await exchange(target, [head, raw], timeoutMs);
    if (!/^SPAMD\/\d+\.\d+ 0 /.test(answer)) return 'PROCESSING_FAILED';
    const m = /^Spam: *(True|False|Yes|No)\b/im.exec(answer);
    if (!m) return 'PROCESSING_FAILED';
    return /^(True|Yes)$/i.test(m[1]!) ? 'FAIL' : 'PASS';
  } catch {
    return 'PROCESSING_FAILED';
  }
}

export async function clamdVerdict(target: HostPort, raw: Buffer, timeoutMs = 15_000): Promise<ScanStatus> {
  try {
    const parts: Buffer[] = [Buffer.from('zINSTREAM\0')];
    for (let i = 0; i < raw.length; i += 65536) {
      const chunk = raw.subarray(i, i + 65536);
      const size = Buffer.alloc(4);
      size.writeUInt32BE(chunk.length);
      parts.push(size, chunk);
    }
    parts.push(Buffer.alloc(4));
    const answer = (await exchange(target, parts, timeoutMs)).replace(/\0/g, '').trim();
    if (/^stream: OK$/.test(answer)) return 'PASS';
    if (/^stream: .+ FOUND$/.test(answer)) return 'FAIL';
    return 'PROCESSING_FAILED';
  } catch {
    return 'PROCESSING_FAILED';
  }
}
