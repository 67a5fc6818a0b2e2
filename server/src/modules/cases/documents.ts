import type { Config } from '../../config.js';
import { today } from '../../platform/clock.js';
import { type OfficialDocument, renderDocument } from '../../platform/pdf/index.js';

/** A notice or decision for one case, with the case number and a QR code to its progress page. */
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

/**
 * The document as issued, fixed at the moment of the decision. It is stored with the case in the same
 * transaction; the PDF is rendered from it when first downloaded (rendering is deterministic), so a
 * transition never waits for PDF work.
 */
export function issuedDocument(config: Config, d: CaseDocumentInput): OfficialDocument {
  return {
    title: d.title,
    caseNumber: d.caseNumber,
    recipient: `${d.recipient}:`,
    paragraphs: d.paragraphs,
    ...(d.items ? { items: d.items } : {}),
    issuer: d.issuer,
    date: today(),
    qrUrl: progressUrl(config, d.caseNumber),
    qrCaption: '扫码查询办理进度',
  };
}

export function renderIssued(doc: OfficialDocument): Promise<Uint8Array> {
  return renderDocument(doc);
}
