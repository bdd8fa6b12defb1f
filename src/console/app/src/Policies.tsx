import type { Clients } from './api.js';

export function Policies(_props: { clients: Clients; region: string }) {
  return (
    <section aria-labelledby="policies-h">
      <h2 id="policies-h">IAM managed policies</h2>
    </section>
  );
}
