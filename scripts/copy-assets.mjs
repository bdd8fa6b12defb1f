// tsc compiles TypeScript only; copy the data files the server reads at run time into dist/.
import { cpSync, existsSync } from 'node:fs';

cpSync('src/protocols/models', 'dist/protocols/models', { recursive: true });
cpSync('src/iam/aws-managed/aws-managed-policies.json', 'dist/iam/aws-managed/aws-managed-policies.json');
if (existsSync('src/console/app/dist'))
  cpSync('src/console/app/dist', 'dist/console/app/dist', { recursive: true });
