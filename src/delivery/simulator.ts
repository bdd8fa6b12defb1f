// The mailbox simulator (docs/spec/ses.md §5.2): addresses on simulator.amazonses.com never reach a network;
// their outcome is decided by the local part (before any +label).
import { isSimulatorAddress } from '../ses/send/address.js';

export type SimulatorScenario = 'success' | 'bounce' | 'ooto' | 'complaint' | 'suppressionlist';

const SCENARIOS: readonly SimulatorScenario[] = ['success', 'bounce', 'ooto', 'complaint', 'suppressionlist'];

/**
 * The scenario of a simulator address; undefined for other addresses. An unknown local part on the
 * simulator domain behaves as an unknown user there: a bounce [INF].
 */
export function simulatorScenario(address: string): SimulatorScenario | undefined {
  if (!isSimulatorAddress(address)) return undefined;
  const local = address.slice(0, address.lastIndexOf('@')).toLowerCase();
  const base = local.split('+')[0] ?? local;
  return (SCENARIOS as readonly string[]).includes(base) ? (base as SimulatorScenario) : 'bounce';
}

export const SIMULATOR_MTA = 'dsn; smtp.simulator.amazonses.com';
export const SIMULATOR_USER_AGENT = 'Amazon SES Mailbox Simulator';

/**
 * What the mailbox keeps for a simulated recipient (kind `simulated`): Delivery; Bounce; Complaint
 * (delivered, then complained about); AutoReply (delivered, and an out-of-office reply came back);
 * Suppressed (bounced: on the global suppression list).
 */
export type SimulatedOutcome = 'Delivery' | 'Bounce' | 'Complaint' | 'AutoReply' | 'Suppressed';

export const SIMULATED_OUTCOMES: Record<SimulatorScenario, SimulatedOutcome> = {
  success: 'Delivery',
  bounce: 'Bounce',
  complaint: 'Complaint',
  ooto: 'AutoReply',
  suppressionlist: 'Suppressed',
};
