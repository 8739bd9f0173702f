// Cases of the three procedures (issue 4): open, step (one or a batch), read, attach files, notices.
export { openCase, openCaseTx, type OpenCaseInput } from './open.js';
export { actOnCase, actOnCases, MAX_BATCH, type ActInput, type BatchInput, type BatchRefusal, type BatchResult } from './act.js';
export { getCase, listCases, listNotices, type CaseListFilters, type CaseListItem, type NoticeItem } from './read.js';
export { addAttachment, getAttachment, MAX_ATTACHMENT_BYTES, type AttachmentFile, type NewAttachment } from './attachments.js';
export type { AttachmentView, CaseView, EventView, HouseholdSummary } from './view.js';
