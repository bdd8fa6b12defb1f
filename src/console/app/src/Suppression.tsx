import type { Clients } from './api.js';

export function Suppression(_props: { clients: Clients; region: string }) {
  return (
    <section aria-labelledby="suppression-h">
      <h2 id="suppression-h">Suppression list</h2>
    </section>
  );
}
