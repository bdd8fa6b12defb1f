import type { Clients } from './api.js';

export function Groups(_props: { clients: Clients; region: string }) {
  return (
    <section aria-labelledby="groups-h">
      <h2 id="groups-h">IAM groups</h2>
    </section>
  );
}
