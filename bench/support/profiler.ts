// CPU profile of this process over one window only (the measurement, not startup): the V8
// inspector's Profiler, written as a .cpuprofile that Chrome DevTools and cpuprofile-top.ts read.
import { Session } from 'node:inspector';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

function post<T>(session: Session, method: string, params?: object): Promise<T> {
  return new Promise((resolve, reject) => {
    session.post(method, params ?? {}, (err, res) => (err ? reject(err) : resolve(res as T)));
  });
}

export async function profileWindow<T>(
  dir: string,
  name: string,
  work: () => Promise<T>,
): Promise<{ result: T; file: string }> {
  const session = new Session();
  session.connect();
  try {
    await post(session, 'Profiler.enable');
    await post(session, 'Profiler.setSamplingInterval', { interval: 200 });
    await post(session, 'Profiler.start');
    const result = await work();
    const { profile } = await post<{ profile: unknown }>(session, 'Profiler.stop');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `${name}.cpuprofile`);
    writeFileSync(file, JSON.stringify(profile));
    return { result, file };
  } finally {
    session.disconnect();
  }
}
