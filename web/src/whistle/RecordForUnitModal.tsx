import { Alert, App, Form, Input, Modal, Typography, Upload, type UploadFile, type UploadProps } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { applyFieldErrors } from '../api/formErrors';
import { uploadedPhotoIds } from '../cases/actionBody';
import { uploadAfterPhoto } from '../cases/casesApi';
import { useRecordForUnit } from './whistleApi';
import { describeWhistleError } from './whistleErrors';
import type { RecordForUnitBody } from './whistleTypes';

export type RecordKind = RecordForUnitBody['kind'];

export interface RecordTarget {
  kind: RecordKind;
  organisationId: string;
  unitName: string;
  taskId?: string;
  taskDescription?: string;
}

interface RecordValues {
  onWordOf: string;
  text?: string;
  attachments?: UploadFile[];
}

/**
 * The street desk writes down, for a summoned unit that has no account or answered by phone, its
 * report-in, a task done or its refusal of the summons: on whose word, with evidence. The trail then
 * shows who recorded it.
 */
export function RecordForUnitModal({
  caseId,
  target,
  onClose,
}: {
  caseId: string;
  target: RecordTarget;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<RecordValues>();
  const record = useRecordForUnit(caseId);
  const [error, setError] = useState<string | null>(null);
  const upload: UploadProps['customRequest'] = ({ file, onSuccess, onError }) => {
    if (typeof file === 'string') return;
    const name = file instanceof File ? file.name : 'evidence.jpg';
    uploadAfterPhoto(caseId, file, name, undefined, 'evidence').then(
      (media) => onSuccess?.(media),
      (e: unknown) => onError?.(e instanceof Error ? e : new Error(String(e))),
    );
  };

  const submit = (values: RecordValues) => {
    setError(null);
    const attachmentIds = uploadedPhotoIds(values.attachments);
    const onWordOf = values.onWordOf.trim();
    const text = values.text?.trim() || undefined;
    const body: RecordForUnitBody =
      target.kind === 'refusal'
        ? { kind: 'refusal', reason: text ?? '', onWordOf, attachmentIds }
        : target.kind === 'task_done'
          ? { kind: 'task_done', taskId: target.taskId ?? '', onWordOf, note: text, attachmentIds }
          : { kind: 'report_in', onWordOf, note: text, attachmentIds };
    record.mutate(
      { organisationId: target.organisationId, body },
      {
        onSuccess: () => {
          onClose();
          void message.success(t(`whistle.record.done.${target.kind}`, { unit: target.unitName }));
        },
        onError: (e) => {
          if (!applyFieldErrors(form, e, t)) setError(describeWhistleError(t, e));
        },
      },
    );
  };

  return (
    <Modal
      open
      title={t(`whistle.record.title.${target.kind}`, { unit: target.unitName })}
      okText={t('whistle.record.submit')}
      cancelText={t('common.cancel')}
      okButtonProps={{ danger: target.kind === 'refusal' }}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={record.isPending}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('whistle.record.hint')}</Typography.Paragraph>
      {target.taskDescription && <Typography.Paragraph>{target.taskDescription}</Typography.Paragraph>}
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form<RecordValues> form={form} layout="vertical" name="record-for-unit" onFinish={submit}>
        <Form.Item
          name="onWordOf"
          label={t('whistle.record.onWordOf')}
          extra={t('whistle.record.onWordOfHint')}
          rules={[
            {
              required: true,
              whitespace: true,
              min: 2,
              message: t('whistle.required', { field: t('whistle.record.onWordOf') }),
            },
          ]}
        >
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item
          name="text"
          label={target.kind === 'refusal' ? t('whistle.record.reason') : t('whistle.record.note')}
          rules={
            target.kind === 'refusal'
              ? [
                  {
                    required: true,
                    whitespace: true,
                    min: 2,
                    message: t('whistle.required', { field: t('whistle.record.reason') }),
                  },
                ]
              : []
          }
        >
          <Input.TextArea rows={3} maxLength={2000} />
        </Form.Item>
        <Form.Item
          name="attachments"
          label={t('whistle.record.attachments')}
          valuePropName="fileList"
          getValueFromEvent={(event: { fileList: UploadFile[] }) => event.fileList}
        >
          <Upload listType="picture-card" accept="image/*" multiple maxCount={9} customRequest={upload}>
            <span>+ {t('cases.form.addPhoto')}</span>
          </Upload>
        </Form.Item>
      </Form>
    </Modal>
  );
}
