export { type OfficialDocument, renderCertificate, renderDocument } from './render-document.js';
