// Import and export jobs end by themselves: polls a job's Get call until it has ended.
export async function jobEnded<T extends { JobStatus?: string }>(
  get: () => Promise<T>,
  ms = 20_000,
): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const job = await get();
    if (job.JobStatus === 'COMPLETED' || job.JobStatus === 'FAILED') return job;
    if (Date.now() > until) throw new Error(`job still ${job.JobStatus}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
