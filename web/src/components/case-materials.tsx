import { FolderOpenOutlined, UploadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { App, Button, Empty, Modal, Tag, Typography } from 'antd';
import { useRef, useState } from 'react';
import {
  ATTACHABLE_STATUSES,
  type CaseDetail,
  type CaseMaterial,
  type CaseStatus,
  CLOCK_STATUSES,
  casesApi,
  caseUrls,
  type LibraryItem,
  type MaterialStatus,
  UPLOAD_ACCEPT,
} from '../api/cases';
import { isApiError } from '../api/client';
import { useT } from '../i18n/i18n';
import { useReportError } from './api-errors';
import { MaterialStatusTag } from './case-parts';
import './cases.css';
import './catalog.css';
import { formatDateTime } from './format';

/** One material as a list shows it: from the item before the case exists, from the case afterwards. */
export type MaterialRowData = {
  position: number;
  name: string;
  required: boolean;
  allowDeficiency: boolean;
  id?: string;
  status?: MaterialStatus;
  fileName?: string | null;
  note?: string | null;
  /** What the guide says about it. */
  hint?: string;
};

export function rowsOf(materials: CaseMaterial[]): MaterialRowData[] {
  return materials.map((m) => ({ ...m }));
}

/** A material may get a file while the case is open for materials, and a 容缺 one while the case runs. */
export function canAttachMaterial(status: CaseStatus, row: MaterialRowData): boolean {
  if (ATTACHABLE_STATUSES.includes(status)) return true;
  return CLOCK_STATUSES.includes(status) && row.status === 'deferred';
}

/** A button that opens the file chooser; the input itself stays out of the tab order and out of sight. */
export function FilePicker({
  label,
  onFile,
  loading,
  disabled,
  testId,
}: {
  label: string;
  onFile: (file: File) => void;
  loading?: boolean;
  disabled?: boolean;
  testId: string;
}) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <input
        ref={input}
        type="file"
        accept={UPLOAD_ACCEPT}
        className="tb-file-input"
        tabIndex={-1}
        aria-hidden="true"
        data-testid={`${testId}-input`}
        onChange={(event) => {
          const file = event.target.files?.[0];
          event.target.value = '';
          if (file) onFile(file);
        }}
      />
      <Button
        icon={<UploadOutlined aria-hidden="true" />}
        loading={loading}
        disabled={disabled}
        onClick={() => input.current?.click()}
        data-testid={testId}
      >
        {label}
      </Button>
    </>
  );
}

/** 一次提供、多次使用: the applicant picks a file given in an earlier case; same-named ones first. */
function LibraryDialog({
  material,
  onPick,
  onClose,
}: {
  material: MaterialRowData | null;
  onPick: (item: LibraryItem) => void;
  onClose: () => void;
}) {
  const t = useT();
  const library = useQuery({ queryKey: ['library'], queryFn: casesApi.library, enabled: material !== null });
  const items = [...(library.data?.items ?? [])].sort(
    (a, b) => Number(b.name === material?.name) - Number(a.name === material?.name),
  );
  return (
    <Modal
      open={material !== null}
      title={t('case.material.libraryTitle', { name: material?.name ?? '' })}
      onCancel={onClose}
      footer={null}
      destroyOnHidden
    >
      {library.isPending ? null : items.length === 0 ? (
        <Empty description={t('case.material.libraryEmpty')} />
      ) : (
        <ul className="tb-materials" data-testid="library-list">
          {items.map((item) => (
            <li key={item.id} className="tb-material-row" data-testid="library-item" data-name={item.name}>
              <div className="tb-material-main">
                <span className="tb-material-title">{item.name}</span>
                {item.name === material?.name ? (
                  <Tag color="success">{t('case.material.sameName')}</Tag>
                ) : null}
                <div>
                  <Typography.Text type="secondary">
                    {item.fileName} · {formatDateTime(item.createdAt)}
                  </Typography.Text>
                </div>
              </div>
              <Button onClick={() => onPick(item)} data-testid="library-use">
                {t('case.material.use')}
                <span className="tb-visually-hidden">: {item.fileName}</span>
              </Button>
            </li>
          ))}
        </ul>
      )}
    </Modal>
  );
}

/**
 * The materials of a case, each with its status, its file (opened in a new tab) and, where it may still
 * change, an upload button and — for applicants — reuse from the material library. Errors the server gave
 * for a material (`materials.N`) are shown on its row.
 */
export function MaterialsList({
  rows,
  caseId,
  ensureCase,
  canAttach,
  library = false,
  errors = {},
  onChanged,
}: {
  rows: MaterialRowData[];
  caseId?: string;
  /** Makes the case first when there is none yet (an online application before its first save). */
  ensureCase?: () => Promise<CaseDetail>;
  canAttach: (row: MaterialRowData) => boolean;
  library?: boolean;
  errors?: Record<number, string>;
  onChanged: (detail: CaseDetail, position: number) => void;
}) {
  const t = useT();
  const { message } = App.useApp();
  const report = useReportError();
  const [busy, setBusy] = useState<number | null>(null);
  const [rowErrors, setRowErrors] = useState<Record<number, string>>({});
  const [picking, setPicking] = useState<MaterialRowData | null>(null);

  const attach = async (row: MaterialRowData, source: { file: File } | { libraryId: string }) => {
    setBusy(row.position);
    setRowErrors(({ [row.position]: _gone, ...rest }) => rest);
    try {
      let id = row.id;
      let target = caseId;
      if (!id || !target) {
        if (!ensureCase) return;
        const created = await ensureCase();
        target = created.id;
        id = created.materials.find((m) => m.position === row.position)?.id;
        if (!id) return;
      }
      const detail =
        'file' in source
          ? await casesApi.uploadMaterial(target, id, source.file)
          : await casesApi.reuseMaterial(target, id, source.libraryId);
      message.success(t('case.material.uploaded', { name: row.name }));
      onChanged(detail, row.position);
    } catch (error) {
      const fieldMessage = isApiError(error)
        ? error.fields.find((f) => f.field === 'file' || f.field === 'libraryId')?.message
        : undefined;
      if (fieldMessage) setRowErrors((current) => ({ ...current, [row.position]: fieldMessage }));
      else report(error);
    } finally {
      setBusy(null);
    }
  };

  if (rows.length === 0)
    return <Typography.Text className="tb-empty-text">{t('case.noMaterials')}</Typography.Text>;
  return (
    <>
      <ol className="tb-materials" data-testid="materials">
        {rows.map((row) => {
          const error = errors[row.position] ?? rowErrors[row.position];
          const errorId = `material-error-${row.position}`;
          const attachable = canAttach(row);
          return (
            <li
              key={row.position}
              className={`tb-material-row${error ? ' tb-material-row-error' : ''}`}
              data-testid="material-row"
              data-name={row.name}
              data-required={row.required}
              data-status={row.status ?? 'missing'}
            >
              <div className="tb-material-main">
                <span className="tb-material-title">
                  {row.position + 1}. {row.name}
                </span>
                <span>
                  {row.required ? (
                    <Tag color="error">{t('catalog.requirement.required')}</Tag>
                  ) : (
                    <Tag>{t('catalog.requirement.conditional')}</Tag>
                  )}
                  {row.allowDeficiency ? <Tag color="success">{t('case.material.deferrable')}</Tag> : null}
                  {row.status ? <MaterialStatusTag status={row.status} /> : null}
                </span>
                {row.hint ? (
                  <Typography.Paragraph type="secondary" style={{ margin: '4px 0 0' }}>
                    {row.hint}
                  </Typography.Paragraph>
                ) : null}
                {row.note ? (
                  <Typography.Paragraph style={{ margin: '4px 0 0' }} data-testid="material-note">
                    {t('case.material.note')}: {row.note}
                  </Typography.Paragraph>
                ) : null}
                {row.fileName && row.id && caseId ? (
                  <div style={{ marginTop: 4 }}>
                    <a
                      href={caseUrls.material(caseId, row.id)}
                      target="_blank"
                      rel="noopener noreferrer"
                      data-testid="material-file"
                    >
                      {row.fileName}
                      <span className="tb-visually-hidden"> ({t('case.opensNewTab')})</span>
                    </a>
                  </div>
                ) : null}
                {error ? (
                  <div className="tb-material-error" id={errorId} role="alert" data-testid="material-error">
                    {error}
                  </div>
                ) : null}
              </div>
              {attachable ? (
                <div className="tb-material-actions">
                  <FilePicker
                    label={row.fileName ? t('case.material.replace') : t('case.material.upload')}
                    loading={busy === row.position}
                    disabled={busy !== null && busy !== row.position}
                    onFile={(file) => void attach(row, { file })}
                    testId="material-upload"
                  />
                  {library ? (
                    <Button
                      icon={<FolderOpenOutlined aria-hidden="true" />}
                      disabled={busy !== null}
                      onClick={() => setPicking(row)}
                      data-testid="material-library"
                    >
                      {t('case.material.fromLibrary')}
                    </Button>
                  ) : null}
                </div>
              ) : null}
            </li>
          );
        })}
      </ol>
      {library ? (
        <LibraryDialog
          material={picking}
          onClose={() => setPicking(null)}
          onPick={(item) => {
            const row = picking;
            setPicking(null);
            if (row) void attach(row, { libraryId: item.id });
          }}
        />
      ) : null}
    </>
  );
}
