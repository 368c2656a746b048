/** What the windows see of the counter's link to the hub (总部): `hub.status` and the `hub.status` event. */
export interface HubStatus {
  enrolled: boolean;
  hubUrl: string | null;
  storeId: string | null;
  storeName: string | null;
  terminalId: string | null;
  counterName: string | null;
  enrolledAt: number | null;
  /** null until the counter has tried to reach the hub since it started. */
  reachable: boolean | null;
  lastContactAt: number | null;
  /** Facts written and not yet acknowledged by the hub, and when the oldest of them was written. */
  backlog: number;
  oldestUnsentAt: number | null;
  /** The hub refused this terminal (revoked or unknown): nothing is sent until it enrols again. */
  stopped: { at: number; reason: string } | null;
  /** The last failure, in words ('中文 / English'), until the next success. */
  problem: string | null;
}
