import { DeleteOutlined, UploadOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { Button, Flex, Upload } from 'antd';
import { useState } from 'react';
import { catalogApi, catalogUrls, fileToBase64 } from '../../api/catalog';
import { useReportError } from '../../components/api-errors';
import { useT } from '../../i18n/i18n';

/**
 * A blank form, sample or result sample: the form keeps the file id; the file goes up at once
 * (POST /catalog/files) and can be downloaded from here to check it.
 */
export function FileField({
  value,
  onChange,
  label,
  id,
}: {
  value?: string | null;
  onChange?: (value: string | null) => void;
  /** What the file is, for screen readers (the field has no visible label in a table). */
  label: string;
  id?: string;
}) {
  const t = useT();
  const report = useReportError();
  const [name, setName] = useState<string | null>(null);
  const upload = useMutation({
    mutationFn: async (file: File) =>
      catalogApi.uploadFile({
        name: file.name,
        contentType: file.type || 'application/octet-stream',
        dataBase64: await fileToBase64(file),
      }),
    onSuccess: (info) => {
      setName(info.name);
      onChange?.(info.id);
    },
    onError: (error) => report(error),
  });
  return (
    <Flex gap={4} align="center" wrap id={id}>
      {value ? (
        <>
          <a href={catalogUrls.file(value)} target="_blank" rel="noreferrer" style={{ maxWidth: 140 }}>
            {name ?? t('catalog.file.current')}
          </a>
          <Button
            size="small"
            icon={<DeleteOutlined />}
            aria-label={`${t('catalog.file.remove')}: ${label}`}
            onClick={() => {
              setName(null);
              onChange?.(null);
            }}
          />
        </>
      ) : null}
      <Upload
        showUploadList={false}
        maxCount={1}
        beforeUpload={(file) => {
          upload.mutate(file);
          return false;
        }}
      >
        <Button
          size="small"
          icon={<UploadOutlined />}
          loading={upload.isPending}
          aria-label={`${t('catalog.file.upload')}: ${label}`}
        >
          {value ? t('catalog.file.replace') : t('catalog.file.upload')}
        </Button>
      </Upload>
    </Flex>
  );
}
