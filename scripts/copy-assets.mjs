// tsc compiles TypeScript only; copy the data files the server reads at run time into dist/, and
// make the package's bin executable (tsc writes it 0644, and `npx sesame` in the clone runs the file
// itself: npm sets the mode only when it installs the package as a dependency).
import { chmodSync, cpSync, existsSync } from 'node:fs';

cpSync('src/protocols/models', 'dist/protocols/models', { recursive: true });
cpSync('src/iam/aws-managed/aws-managed-policies.json', 'dist/iam/aws-managed/aws-managed-policies.json');
if (existsSync('src/console/app/dist'))
  cpSync('src/console/app/dist', 'dist/console/app/dist', { recursive: true });
chmodSync('dist/cli/sesame.js', 0o755);
