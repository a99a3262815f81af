import { PDFDocument } from "pdf-lib";
import type { FlowRecord, EmulatedGroup } from "../core/model";
import { addTextPages, loadPdf, type TextLine } from "./pdf";

/**
 * The contract a flow's download link serves: the uploaded PDF with a visible signature page
 * appended that says who signed and when (the state of the flow when the link is fetched: a flow
 * still being signed gets its signatures so far). Fixture files have no bytes: a one-page stand-in
 * names the file instead.
 */

/** Times as ESS shows them: Beijing time. */
function beijing(unixSeconds: number): string {
  return new Date((unixSeconds + 8 * 3600) * 1000).toISOString().replace("T", " ").slice(0, 19) + " (UTC+8)";
}

const STATE_TEXT: Record<string, string> = {
  ALL: "签署完成 (all signed)",
  PART: "签署中 (partly signed)",
  INIT: "待签署 (waiting)",
  FILLING: "待填写 (waiting to be filled)",
  REJECT: "已拒签 (rejected)",
  CANCEL: "已撤销 (cancelled)",
  DEADLINE: "已过期 (expired)",
};

/** Builds the PDF bytes for `flow` from its file's `original` bytes (undefined: fixture file). */
export async function signedPdf(
  flow: FlowRecord,
  group: EmulatedGroup,
  fileName: string,
  original: Buffer | undefined,
): Promise<Uint8Array> {
  const doc = original ? await loadPdf(original) : await PDFDocument.create();
  if (!original) addTextPages(doc, [{ text: fileName, size: 14 }, { text: "(emulator fixture file: no content was uploaded)" }]);
  const lines: TextLine[] = [
    { text: "签署页 Signature page", size: 16 },
    { text: "" },
    { text: `合同组 Group: ${group.name} (${group.groupId})` },
    { text: `合同 Flow: ${flow.name} (${flow.flowId})` },
    { text: `文件 File: ${fileName}` },
    { text: `状态 Status: ${STATE_TEXT[flow.state] ?? flow.state}` },
    { text: "" },
  ];
  for (const a of flow.approvers) {
    const who = [a.roleName, a.name ?? "(未填写 not filled)", a.organizationName].filter((x) => x).join(" · ");
    lines.push({ text: `${a.signOrder}. ${who}` });
    const how = a.role === "autoSign" ? "自动签署 auto-sign" : a.role === "person" ? "个人 person" : "企业 organization";
    const when = a.state === "ACCEPT" && a.approveTime !== undefined ? `已签署 signed ${beijing(a.approveTime)}` : a.state;
    lines.push({ text: `${how} · ${when} · RecipientId ${a.recipientId}`, size: 9, indent: 16 });
  }
  lines.push({ text: "" }, { text: "ESS emulator: not a legally signed document.", size: 8 });
  addTextPages(doc, lines);
  return doc.save();
}
