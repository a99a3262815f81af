/**
 * Writes the sample contracts the demo uploads (`npm run samples:pdf`): small, real, multi-page
 * PDFs made with pdf-lib, Chinese text in the reader-substituted STSong-Light font. The output is
 * byte-for-byte reproducible (fixed dates, no random ids), so regenerating changes nothing unless
 * this script changes.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { PDFDocument } from "pdf-lib";
import { addTextPages, type TextLine } from "../ess-emulator/documents/pdf";

interface Sample {
  file: string;
  title: string;
  /** One entry per page: the page's clauses. */
  pages: string[][];
}

const PARTIES = ["甲方（买方）：示例采购有限公司", "乙方（卖方）：示例供应有限公司"];

export const SAMPLES: Sample[] = [
  {
    file: "purchase-contract.pdf",
    title: "采购合同 Purchase Contract",
    pages: [
      [...PARTIES, "第一条 标的：乙方向甲方供应办公设备一批，明细见附件。", "Article 1. Subject: the Seller supplies office equipment."],
      ["第二条 价款与支付：合同总价人民币壹拾万元整，验收后三十日内支付。", "Article 2. Price and payment within 30 days of acceptance."],
      ["第三条 争议解决：协商不成的，提交甲方所在地人民法院诉讼解决。", "（以下无正文）", "甲方（盖章）：            乙方（盖章）："],
    ],
  },
  {
    file: "nda.pdf",
    title: "保密协议 Non-Disclosure Agreement",
    pages: [
      ["披露方：示例采购有限公司", "接收方：示例供应有限公司", "第一条 保密信息指一方向另一方披露的全部商业与技术信息。"],
      ["第二条 保密期限：自签署之日起三年。", "Article 2. Term: three years from signature.", "双方签署："],
    ],
  },
  {
    file: "service-agreement.pdf",
    title: "服务协议 Service Agreement",
    pages: [
      [...PARTIES, "第一条 服务内容：设备安装、调试与培训。"],
      ["第二条 服务期限：一年，期满可续签。", "Article 2. Term: one year, renewable."],
      ["第三条 服务费用：人民币贰万元整。", "Article 3. Fee: CNY 20,000."],
      ["第四条 其他：本协议一式两份，双方各执一份。", "甲方签署：            乙方签署："],
    ],
  },
];

const FIXED_DATE = new Date("2024-01-01T00:00:00Z");

/** The bytes of one sample. */
export async function buildSample(sample: Sample): Promise<Uint8Array> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.setTitle(sample.title);
  doc.setProducer("ess-flow-groups-scf sample generator");
  doc.setCreationDate(FIXED_DATE);
  doc.setModificationDate(FIXED_DATE);
  sample.pages.forEach((clauses, i) => {
    const lines: TextLine[] = [{ text: sample.title, size: 16 }, { text: "" }, ...clauses.map((text) => ({ text })), { text: "" }];
    lines.push({ text: `第 ${i + 1} 页 / 共 ${sample.pages.length} 页`, size: 9 });
    addTextPages(doc, lines);
  });
  return doc.save({ useObjectStreams: false });
}

async function main(): Promise<void> {
  for (const sample of SAMPLES) {
    const bytes = await buildSample(sample);
    const path = join(__dirname, sample.file);
    writeFileSync(path, bytes);
    console.log(`${path}: ${sample.pages.length} pages, ${bytes.length} bytes`);
  }
}

if (process.argv[1] && /generate\.ts$/.test(process.argv[1])) void main();
