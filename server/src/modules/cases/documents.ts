import type { Config } from '../../config.js';
import { today } from '../../platform/clock.js';
import { renderDocument } from '../../platform/pdf/index.js';

/** A notice or decision for one case; rendered to PDF with the case number and a QR code to its progress page. */
export type CaseDocumentInput = {
  kind: string;
  title: string;
  caseNumber: string;
  recipient: string;
  itemName: string;
  paragraphs: string[];
  items?: string[];
  issuer: string;
};

export function progressUrl(config: Config, caseNumber: string): string {
  return `${config.PUBLIC_URL}/progress?number=${encodeURIComponent(caseNumber)}`;
}

export function renderCaseDocument(config: Config, d: CaseDocumentInput): Promise<Uint8Array> {
  return renderDocument({
    title: d.title,
    caseNumber: d.caseNumber,
    recipient: `${d.recipient}:`,
    paragraphs: d.paragraphs,
    items: d.items,
    issuer: d.issuer,
    date: today(),
    qrUrl: progressUrl(config, d.caseNumber),
    qrCaption: '扫码查询办理进度',
  });
}
