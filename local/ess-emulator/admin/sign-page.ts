import type { GroupView } from "./views";

/**
 * The page a sign link opens: the group, the flows that name this person, and two forms that post
 * to the admin API. Every text that came from a request is escaped.
 */

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.3rem;text-align:left}
.note{color:#666}button{font-size:1rem;padding:.4rem 1rem;margin-right:.5rem}textarea{width:100%}</style>
</head><body>${body}</body></html>`;
}

/** What the sign page shows for one approver. */
export interface SignPageModel {
  group: GroupView;
  recipientId: string;
  /** Flows naming this person that are still open for them. */
  openFlowIds: Set<string>;
  preview: boolean;
  notice?: string;
}

/** The sign page a sign link opens. */
export function renderSignPage(model: SignPageModel): string {
  const { group, recipientId } = model;
  const me = group.flows.flatMap((f) => f.approvers).find((a) => a.recipientId === recipientId);
  const rows = group.flows
    .map((f) => {
      const mine = f.approvers.find((a) => a.recipientId === recipientId);
      const open = model.openFlowIds.has(f.flowId);
      return `<tr><td>${escapeHtml(f.flowName)}</td><td>${escapeHtml(f.status)}</td><td>${
        mine ? escapeHtml(mine.status) : open ? "PENDING" : "—"
      }</td><td>${open ? "to sign" : ""}</td></tr>`;
    })
    .join("");
  const canAct = !model.preview && model.openFlowIds.size > 0;
  const forms = canAct
    ? `<form method="post" action="/_emulator/sign"><input type="hidden" name="recipientId" value="${escapeHtml(recipientId)}">
<button type="submit">Sign all ${model.openFlowIds.size} flow(s)</button></form>
<form method="post" action="/_emulator/reject"><input type="hidden" name="recipientId" value="${escapeHtml(recipientId)}">
<p><label>Reason for rejecting<br><textarea name="message" rows="2" maxlength="200"></textarea></label></p>
<button type="submit">Reject</button></form>`
    : `<p class="note">${model.preview ? "Preview link: signing is disabled." : "Nothing left for you to sign in this group."}</p>`;
  return layout(
    group.flowGroupName,
    `<h1>${escapeHtml(group.flowGroupName)}</h1>
<p class="note">ESS emulator · group ${escapeHtml(group.flowGroupId)} · status ${escapeHtml(group.status)} · signing as ${escapeHtml(
      me ? `${me.name || "(not filled)"} ${me.organizationName}` : recipientId,
    )}</p>
${model.notice ? `<p><strong>${escapeHtml(model.notice)}</strong></p>` : ""}
<table><thead><tr><th>Flow</th><th>Flow status</th><th>Your status here</th><th></th></tr></thead><tbody>${rows}</tbody></table>
${forms}`,
  );
}

/** `GET /_emulator/`: every group with its sign links. */
export function renderIndexPage(groups: GroupView[]): string {
  const items = groups
    .map(
      (g) => `<li><strong>${escapeHtml(g.flowGroupName)}</strong> (${escapeHtml(g.edition)}, ${escapeHtml(g.status)})<ul>${g.flows
        .map(
          (f) => `<li>${escapeHtml(f.flowName)} — ${escapeHtml(f.status)}: ${f.approvers
            .map((a) => `<a href="/_emulator/sign/${escapeHtml(a.recipientId)}">${escapeHtml(a.name || a.approverRoleName || a.recipientId)}</a> ${escapeHtml(a.status)}`)
            .join(", ")}</li>`,
        )
        .join("")}</ul></li>`,
    )
    .join("");
  return layout("ESS emulator", `<h1>ESS emulator</h1><p class="note">Groups and sign links. JSON: <a href="/_emulator/state">state</a>, <a href="/_emulator/stats">stats</a>.</p><ul>${items || "<li>No groups yet.</li>"}</ul>`);
}

/** A refusal shown to a browser (after a form post). */
export function renderErrorPage(message: string): string {
  return layout("Error", `<h1>Cannot do that</h1><p>${escapeHtml(message)}</p><p><a href="javascript:history.back()">Back</a></p>`);
}
