// The Dockerfile, the compose file and the systemd unit run the command the other tests run
// (`sesame serve`, built from src/cli/sesame.ts into dist/cli/sesame.js) with the settings the
// code has. No container engine is needed: these are the files' own promises, checked as text.
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/config.js';
import { REPO } from '../support/sesame-process.js';

const read = (f: string) => readFileSync(join(REPO, f), 'utf8');
const SERVE = ['node', 'dist/cli/sesame.js', 'serve'];

describe('packaging', () => {
  it('dist/cli/sesame.js is the build of src/cli/sesame.ts, and the package bin', () => {
    const pkg = JSON.parse(read('package.json')) as { bin: Record<string, string>; license: string };
    expect(pkg.bin.sesame).toBe('dist/cli/sesame.js');
    const build = JSON.parse(read('tsconfig.build.json')) as {
      compilerOptions: { rootDir: string; outDir: string };
    };
    expect(build.compilerOptions).toMatchObject({ rootDir: 'src', outDir: 'dist' });
    expect(existsSync(join(REPO, 'src/cli/sesame.ts'))).toBe(true);
    expect(pkg.license).toBe('Apache-2.0');
    expect(read('LICENSE')).toMatch(/^\s+Apache License\n\s+Version 2\.0, January 2004/);
  });

  it('the build leaves the bin executable (`npx sesame …` in the clone runs the file itself)', () => {
    // scripts/copy-assets.mjs, the build's last step, over a folder shaped like the clone after tsc.
    const dir = mkdtempSync(join(tmpdir(), 'sesame-build-'));
    try {
      mkdirSync(join(dir, 'src/protocols'), { recursive: true });
      mkdirSync(join(dir, 'src/iam/aws-managed'), { recursive: true });
      symlinkSync(join(REPO, 'src/protocols/models'), join(dir, 'src/protocols/models'));
      const policies = 'src/iam/aws-managed/aws-managed-policies.json';
      symlinkSync(join(REPO, policies), join(dir, policies));
      mkdirSync(join(dir, 'dist/cli'), { recursive: true });
      writeFileSync(join(dir, 'dist/cli/sesame.js'), '#!/usr/bin/env node\n', { mode: 0o644 });
      const r = spawnSync(process.execPath, [join(REPO, 'scripts/copy-assets.mjs')], { cwd: dir });
      expect(r.status, String(r.stderr)).toBe(0);
      expect(statSync(join(dir, 'dist/cli/sesame.js')).mode & 0o777).toBe(0o755);
      expect(existsSync(join(dir, 'dist/protocols/models'))).toBe(true);
      expect(existsSync(join(dir, 'dist', policies.slice('src/'.length)))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('Dockerfile: two stages, a non-root user, the data folder on a volume, HEALTHCHECK on /ready', () => {
    const docker = read('Dockerfile');
    expect(docker.match(/^FROM /gm)).toHaveLength(2);
    expect(docker).toMatch(/^USER sesame$/m);
    const dataDir = /SESAME_DATA_DIR=(\S+)/.exec(docker)?.[1];
    expect(dataDir).toBe('/var/lib/sesame');
    expect(docker).toContain(`VOLUME ["${dataDir}"]`);
    expect(docker).toMatch(/HEALTHCHECK [^\n]*\\\n\s+CMD \[[^\n]*\/ready/);
    expect(JSON.parse(/^CMD (\[.*\])$/m.exec(docker)![1]!)).toEqual(SERVE);
    const defaults = loadConfig({});
    expect(/^EXPOSE (.*)$/m.exec(docker)![1]!.split(' ').map(Number)).toEqual([
      defaults.httpPort,
      defaults.smtpPort,
      defaults.smtpsPort,
      defaults.receiving.inboundSmtpPort,
    ]);
    expect(read('.dockerignore').split('\n')).toEqual(
      expect.arrayContaining(['node_modules', '.sesame', 'dist']),
    );
  });

  it('compose: PostgreSQL and two nodes with one database URL and one master key', () => {
    const compose = read('compose.yaml');
    expect(compose).toMatch(/^ {2}postgres:\n {4}image: postgres:15$/m);
    expect(compose.match(/^ {2}sesame-\d:\n {4}<<: \*sesame$/gm)).toHaveLength(2);
    const command = /^ {2}command: (\[.*\])$/m.exec(compose)![1]!.replace(/'/g, '"');
    expect(JSON.parse(command)).toEqual(SERVE);
    expect(compose).toMatch(/SESAME_DATABASE_URL: postgres:\/\/sesame:sesame@postgres:5432\/sesame/);
    expect(compose).toMatch(/SESAME_MASTER_KEY: \$\{SESAME_MASTER_KEY:\?/);
    expect(() =>
      loadConfig({ SESAME_DATABASE_URL: 'postgres://sesame:sesame@postgres:5432/sesame' }),
    ).not.toThrow();
  });

  it('systemd: ExecStart runs the same command; a refused setting (exit 2) is not restarted', () => {
    const unit = read('deploy/sesame.service');
    expect(/^ExecStart=(.*)$/m.exec(unit)![1]).toBe('/usr/bin/node /opt/sesame/dist/cli/sesame.js serve');
    expect(unit).toMatch(/^StateDirectoryMode=0700$/m);
    expect(unit).toMatch(/^Environment=SESAME_DATA_DIR=\/var\/lib\/sesame$/m);
    expect(unit).toMatch(new RegExp(`^RestartPreventExitStatus=${new ConfigError('x').exitCode}$`, 'm'));
  });
});
