import type { GroupView } from "./views";

/**
 * The page a sign link opens, like ESS's: the group's documents by name and page count, the
 * person's part in each flow, and one action: sign every open flow at once, fill in who they are
 * (a dynamic approver), or nothing but "not your turn yet" while an earlier approver of an ordered
 * flow has not signed. Forms post to the admin API and come back here. Every text that came from a
 * request is escaped.
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
.note{color:#666}.wait{color:#a60}button{font-size:1rem;padding:.4rem 1rem;margin-right:.5rem}textarea,input{width:100%}</style>
</head><body>${body}</body></html>`;
}

/** One flow as the page shows it. */
export interface SignPageFlow {
  flowId: string;
  flowName: string;
  status: string;
  /** This person's status in the flow, when the flow names them. */
  mine?: string;
  documents: Array<{ fileName: string; pages?: number }>;
  /** What this person can do in the flow now. */
  part: "to-sign" | "not-your-turn" | "to-fill" | "";
}

/** What the page shows. */
export interface SignPageModel {
  group: GroupView;
  flows: SignPageFlow[];
  /** Who signs: name and organization, or a note that the identity is still to be filled. */
  who: string;
  mode: "sign" | "fill" | "not-your-turn" | "done" | "preview";
  /** The fill form asks for an organization name too. */
  fillOrganization?: boolean;
  /** The hidden field the forms post: the link's token, or the RecipientId (admin pages). */
  actor: { field: "token" | "recipientId"; value: string };
  notice?: string;
  /** Unix seconds when the link stops working (links from the API). */
  expiresAt?: number;
}

const PART_TEXT: Record<SignPageFlow["part"], string> = {
  "to-sign": "to sign",
  "not-your-turn": "not your turn yet",
  "to-fill": "to fill",
  "": "",
};

function documents(flow: SignPageFlow): string {
  return flow.documents
    .map((d) => `${escapeHtml(d.fileName)}${d.pages !== undefined ? ` · ${d.pages} page${d.pages === 1 ? "" : "s"}` : ""}`)
    .join("<br>");
}

function actions(model: SignPageModel): string {
  const hidden = `<input type="hidden" name="${model.actor.field}" value="${escapeHtml(model.actor.value)}">`;
  const count = model.flows.filter((f) => f.part === "to-sign").length;
  switch (model.mode) {
    case "sign":
      return `<form method="post" action="/_emulator/sign">${hidden}<button type="submit">Sign all ${count} flow(s)</button></form>
<form method="post" action="/_emulator/reject">${hidden}
<p><label>Reason for rejecting<br><textarea name="message" rows="2" maxlength="200"></textarea></label></p>
<button type="submit">Reject</button></form>`;
    case "fill":
      return `<form method="post" action="/_emulator/fill">${hidden}
<p>You were invited without a name: say who signs.</p>
${model.fillOrganization ? `<p><label>Organization name<br><input name="organizationName" maxlength="200" required></label></p>` : ""}
<p><label>Name<br><input name="name" maxlength="50" required></label></p>
<p><label>Mobile<br><input name="mobile" inputmode="numeric" pattern="1[3-9][0-9]{9}" required></label></p>
<button type="submit">Claim and continue</button></form>`;
    case "not-your-turn":
      return `<p class="wait"><strong>Not your turn yet.</strong> An earlier approver of an ordered flow has not signed; this link works once they have.</p>`;
    case "preview":
      return `<p class="note">Preview link: signing is disabled.</p>`;
    default:
      return `<p class="note">Nothing left for you to sign in this group.</p>`;
  }
}

/** The sign page a sign link opens. */
export function renderSignPage(model: SignPageModel): string {
  const { group } = model;
  const rows = model.flows
    .map(
      (f) =>
        `<tr><td>${escapeHtml(f.flowName)}</td><td>${documents(f)}</td><td>${escapeHtml(f.status)}</td><td>${escapeHtml(f.mine ?? "—")}</td><td${
          f.part === "not-your-turn" ? ' class="wait"' : ""
        }>${PART_TEXT[f.part]}</td></tr>`,
    )
    .join("");
  const expiry = model.expiresAt !== undefined ? ` · link valid until ${new Date(model.expiresAt * 1000).toISOString()}` : "";
  return layout(
    group.flowGroupName,
    `<p><a href="/_emulator/">← All groups</a></p>
<h1>${escapeHtml(group.flowGroupName)}</h1>
<p class="note">ESS emulator · group ${escapeHtml(group.flowGroupId)} · status ${escapeHtml(group.status)} · signing as ${escapeHtml(model.who)}${escapeHtml(expiry)}</p>
${model.notice ? `<p><strong>${escapeHtml(model.notice)}</strong></p>` : ""}
<table><thead><tr><th>Flow</th><th>Documents</th><th>Flow status</th><th>Your status</th><th></th></tr></thead><tbody>${rows}</tbody></table>
${actions(model)}`,
  );
}

/** `GET /_emulator/`: every group with its sign links. */
export function renderIndexPage(groups: GroupView[]): string {
  const items = groups
    .map(
      (g) =>
        `<li><strong>${escapeHtml(g.flowGroupName)}</strong> (${escapeHtml(g.edition)}, ${escapeHtml(g.status)})<ul>${g.flows
          .map(
            (f) =>
              `<li>${escapeHtml(f.flowName)} — ${escapeHtml(f.status)}: ${f.approvers
                .map(
                  (a) =>
                    `<a href="/_emulator/sign/${escapeHtml(a.recipientId)}">${escapeHtml(a.name || a.approverRoleName || a.recipientId)}</a> ${escapeHtml(a.status)}`,
                )
                .join(", ")}</li>`,
          )
          .join("")}</ul></li>`,
    )
    .join("");
  return layout(
    "ESS emulator",
    `<h1>ESS emulator</h1><p class="note">Groups and sign links. JSON: <a href="/_emulator/state">state</a>, <a href="/_emulator/stats">stats</a>, <a href="/_emulator/deliveries">deliveries</a>.</p><ul>${items || "<li>No groups yet.</li>"}</ul>`,
  );
}

/** A refusal shown to a browser (after a form post, or an expired link). */
export function renderErrorPage(message: string): string {
  return layout("Error", `<p><a href="/_emulator/">← All groups</a></p><h1>Cannot do that</h1><p>${escapeHtml(message)}</p>`);
}
