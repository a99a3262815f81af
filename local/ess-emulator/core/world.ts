import type { Directory } from "./fixture";
import type { ApproverRecord, FileRecord, FlowRecord, EmulatedGroup, LinkRecord } from "./model";

/** What a state file holds: everything that changes while the emulator runs. */
export interface WorldState {
  version: 1;
  files: FileRecord[];
  groups: EmulatedGroup[];
  flows: FlowRecord[];
  quotaUsed: Record<string, number>;
  /** Sign links handed out (absent in files written before links existed). */
  links?: LinkRecord[];
  /** Reminders sent per RecipientId. */
  reminds?: Record<string, number>;
}

/**
 * The emulator's state: uploaded files, groups, flows and quota use, over the fixture's fixed
 * directory of organizations, employees and seals. Plain data, mutated only by the transitions
 * and actions; `onChange` lets the state file writer know.
 */
export class World {
  readonly files = new Map<string, FileRecord>();
  readonly groups = new Map<string, EmulatedGroup>();
  readonly flows = new Map<string, FlowRecord>();
  /** Sign links by token. */
  readonly links = new Map<string, LinkRecord>();
  /** Download links of signed documents: token → flow and expiry (short-lived, not saved). */
  readonly downloads = new Map<string, { flowId: string; expiresAt: number }>();
  /** Reminders sent per RecipientId (ESS caps them per approver and flow). */
  readonly reminds = new Map<string, number>();
  /** RecipientId → the flow holding that approver. */
  private readonly recipients = new Map<string, FlowRecord>();
  private readonly quotaUsed = new Map<string, number>();
  /** Lower bound of the deadlines of open flows (unix seconds); Infinity when none. */
  private nextDeadline = Infinity;
  onChange: () => void = () => undefined;

  constructor(readonly directory: Directory) {
    this.seedFixtureFiles();
  }

  private seedFixtureFiles(): void {
    for (const f of this.directory.fixture.ess.files)
      this.files.set(f.fileId, { fileId: f.fileId, edition: "ess", fileName: f.fileName, size: 0 });
    for (const app of this.directory.fixture.essbasic.applications)
      for (const f of app.files)
        this.files.set(f.fileId, { fileId: f.fileId, edition: "essbasic", appId: app.appId, fileName: f.fileName, size: 0 });
  }

  /** Contracts the owner may still start; undefined = unlimited. */
  quotaLeft(ownerKey: string): number | undefined {
    const quota = this.directory.quotas.get(ownerKey);
    if (quota === null || quota === undefined) return undefined;
    return quota - (this.quotaUsed.get(ownerKey) ?? 0);
  }

  quotaUsage(): Array<{ owner: string; quota: number | null; used: number }> {
    return [...this.directory.quotas.entries()].map(([owner, quota]) => ({
      owner,
      quota,
      used: this.quotaUsed.get(owner) ?? 0,
    }));
  }

  chargeQuota(ownerKey: string, contracts: number): void {
    this.quotaUsed.set(ownerKey, (this.quotaUsed.get(ownerKey) ?? 0) + contracts);
  }

  addFile(file: FileRecord): void {
    this.files.set(file.fileId, file);
    this.onChange();
  }

  addGroup(group: EmulatedGroup, flows: FlowRecord[]): void {
    this.groups.set(group.groupId, group);
    for (const flow of flows) this.indexFlow(flow);
    this.onChange();
  }

  /** No open flow can be overdue before this time (unix seconds). */
  earliestDeadline(): number {
    return this.nextDeadline;
  }

  /** Recomputes the earliest deadline from the flows still open (after a sweep). */
  refreshEarliestDeadline(isOpen: (flow: FlowRecord) => boolean): void {
    let min = Infinity;
    for (const flow of this.flows.values()) if (isOpen(flow) && flow.deadline < min) min = flow.deadline;
    this.nextDeadline = min;
  }

  private indexFlow(flow: FlowRecord): void {
    this.flows.set(flow.flowId, flow);
    if (flow.deadline < this.nextDeadline) this.nextDeadline = flow.deadline;
    for (const a of flow.approvers) this.recipients.set(a.recipientId, flow);
  }

  findApprover(recipientId: string): { flow: FlowRecord; approver: ApproverRecord } | undefined {
    const flow = this.recipients.get(recipientId);
    const approver = flow?.approvers.find((a) => a.recipientId === recipientId);
    return flow && approver ? { flow, approver } : undefined;
  }

  groupFlows(group: EmulatedGroup): FlowRecord[] {
    return group.flowIds.map((id) => this.flows.get(id)!).filter((f) => f !== undefined);
  }

  toState(): WorldState {
    const fixtureFiles = new Set([
      ...this.directory.fixture.ess.files.map((f) => f.fileId),
      ...this.directory.fixture.essbasic.applications.flatMap((a) => a.files.map((f) => f.fileId)),
    ]);
    return {
      version: 1,
      files: [...this.files.values()].filter((f) => !fixtureFiles.has(f.fileId)),
      groups: [...this.groups.values()],
      flows: [...this.flows.values()],
      quotaUsed: Object.fromEntries(this.quotaUsed),
      links: [...this.links.values()],
      reminds: Object.fromEntries(this.reminds),
    };
  }

  /** Replaces the state with a state file's (fixture files stay). */
  restore(saved: WorldState): void {
    this.clear();
    for (const f of saved.files) this.files.set(f.fileId, f);
    for (const g of saved.groups) this.groups.set(g.groupId, g);
    for (const f of saved.flows) this.indexFlow(f);
    for (const [k, v] of Object.entries(saved.quotaUsed)) this.quotaUsed.set(k, v);
    for (const l of saved.links ?? []) this.links.set(l.token, l);
    for (const [k, v] of Object.entries(saved.reminds ?? {})) this.reminds.set(k, v);
  }

  addLink(link: LinkRecord): void {
    this.links.set(link.token, link);
    this.onChange();
  }

  clear(): void {
    this.files.clear();
    this.groups.clear();
    this.flows.clear();
    this.recipients.clear();
    this.quotaUsed.clear();
    this.links.clear();
    this.reminds.clear();
    this.downloads.clear();
    this.nextDeadline = Infinity;
    this.seedFixtureFiles();
    this.onChange();
  }
}
