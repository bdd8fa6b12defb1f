import type { Clients } from './api.js';

export function Roles(_props: { clients: Clients; region: string }) {
  return (
    <section aria-labelledby="roles-h">
      <h2 id="roles-h">IAM roles</h2>
    </section>
  );
}
