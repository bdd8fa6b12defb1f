// Diagnosis: what SQLite's statements cost capture delivery a message, and which: the capture
// benchmark's drain with every better-sqlite3 statement timed, by SQL text (time on the delivering
// event loop; the commits' share of WAL writing included).
//
//   npx tsx bench/support/diag-capture-sql.ts [--messages 3000]
import { parseArgs } from 'node:util';
import { runCaptureBench } from '../capture.bench.js';
import { watchSqliteStatements } from './sqlite-statements.js';

const { values } = parseArgs({ options: { messages: { type: 'string', default: '3000' } } });
const messages = Number(values.messages);
const statements = watchSqliteStatements();
statements.start(); // the warm-up message and the queueing are counted too: a few µs a message
console.log(JSON.stringify(await runCaptureBench({ messages })));
statements.stop();
let total = 0;
for (const [sql, { calls, ns }] of statements.tallies()) {
  const us = Number(ns) / 1000 / messages;
  total += us;
  if (us >= 0.5)
    console.log(
      `${us.toFixed(1).padStart(7)} µs/msg ${String(calls).padStart(6)}×  ${sql.replace(/\s+/g, ' ').slice(0, 150)}`,
    );
}
console.log(`${total.toFixed(1)} µs of SQLite statements a captured message`);
