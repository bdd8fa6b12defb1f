// The processes of one node (SESAME_WORKERS): with one worker, a single process ('node') does
// everything. With more, the primary supervises (and checkpoints SQLite's WAL), the 'listeners'
// workers serve the HTTP API and the SMTP listeners, and one 'background' worker runs delivery,
// event publishing, receipt actions and the periodic jobs, off the event loops that accept.
export type ProcessRole = 'node' | 'primary' | 'listeners' | 'background';

/** Whether this process serves the listeners (HTTP, SMTP, the MX receiver). */
export const servesListeners = (role: ProcessRole): boolean => role === 'node' || role === 'listeners';

/** Whether this process runs delivery and the node's other background work. */
export const runsBackground = (role: ProcessRole): boolean => role === 'node' || role === 'background';
