export function print(json: boolean, value: unknown, human: string): void {
  process.stdout.write(json ? JSON.stringify(value) + '\n' : human + '\n');
}

export function fail(message: string): never {
  process.stderr.write(`sesame: ${message}\n`);
  process.exit(1);
}
