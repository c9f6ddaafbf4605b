import {
  Alert,
  Form,
  Input,
  Modal,
  Radio,
  Select,
  Typography,
  Upload,
  type UploadFile,
  type UploadProps,
} from 'antd';
import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';
import { describeError } from '../api/describeError';
import { fieldIssueText } from '../api/fieldIssues';
import type { Organisation, User } from '../api/types';
import { useOrganisations } from '../territory/territoryApi';
import { type ActionFormValues, buildActionBody, formFieldFor, uploadedPhotoIds } from './actionBody';
import { uploadAfterPhoto, useCaseAction, useCaseRules, useTier1Handlers } from './casesApi';
import { type ActionType, type CaseDetail, RATINGS, REJECT_REASONS } from './caseTypes';
import { CategoryPicker } from './categories';
import { unitsFor } from './units';

const KNOWN_ERRORS = [
  'TRANSITION_NOT_ALLOWED',
  'FORBIDDEN',
  'OUT_OF_SCOPE',
  'VALIDATION_FAILED',
  'CASE_NOT_FOUND',
] as const;

/** A sentence for an action's failure: the codes of the case loop get their own words. */
export function describeActionError(t: TFunction, error: unknown): string {
  if (error instanceof ApiError) {
    const code = KNOWN_ERRORS.find((known) => known === error.code);
    // The server's message is English for developers; the console says it in its own words.
    if (code) return t(`cases.error.${code}`);
  }
  return describeError(t, error);
}

export { unitsFor };

interface ActionFormProps {
  action: ActionType;
  detail: CaseDetail;
  user: User;
  initialValues?: ActionFormValues;
  /** The dialog's title when the action is opened as something more specific (the whistle). */
  title?: string;
  onClose: () => void;
  onDone: (action: ActionType) => void;
}

function useRequired() {
  const { t } = useTranslation();
  return (field: string) => [
    { required: true, whitespace: true, message: t('cases.form.required', { field }) },
  ];
}

function ReasonField({ label }: { label?: string }) {
  const { t } = useTranslation();
  const required = useRequired();
  const text = label ?? t('cases.form.reason');
  return (
    <Form.Item name="reason" label={text} rules={required(text)}>
      <Input.TextArea rows={3} maxLength={1000} />
    </Form.Item>
  );
}

function NoteField() {
  const { t } = useTranslation();
  return (
    <Form.Item name="note" label={t('cases.form.note')}>
      <Input.TextArea rows={2} maxLength={1000} />
    </Form.Item>
  );
}

function CategoryField({ suggestedKey }: { suggestedKey: string | null }) {
  const { t } = useTranslation();
  const required = useRequired();
  return (
    <Form.Item
      name="categoryKey"
      label={t('cases.form.categoryKey')}
      rules={required(t('cases.form.categoryKey'))}
    >
      <CategoryPicker suggestedKey={suggestedKey} placeholder={t('cases.form.categoryPlaceholder')} />
    </Form.Item>
  );
}

function useUnitOptions(detail: CaseDetail, organisations: Organisation[] | undefined) {
  const { t } = useTranslation();
  const suggested = detail.routing?.organisationId;
  return unitsFor(organisations ?? [], detail.streetCode)
    .sort((a, b) => Number(b.id === suggested) - Number(a.id === suggested) || a.name.localeCompare(b.name))
    .map((org) => ({
      value: org.id,
      label: org.id === suggested ? `${org.name} ${t('cases.form.suggested')}` : org.name,
    }));
}

function DispatchFields({ detail, redispatch }: { detail: CaseDetail; redispatch: boolean }) {
  const { t } = useTranslation();
  const required = useRequired();
  const tier = Form.useWatch<ActionFormValues['tier']>('tier');
  const organisations = useOrganisations();
  const handlers = useTier1Handlers(detail.gridCode ?? detail.streetCode, tier === 1);
  const unitOptions = useUnitOptions(detail, organisations.data);
  const minUnits = useCaseRules().data?.whistle.minUnits;

  return (
    <>
      <Form.Item name="tier" label={t('cases.form.tier')} rules={[{ required: true }]}>
        <Radio.Group
          style={{ display: 'flex', flexDirection: 'column', gap: 6 }}
          options={([1, 2, 3] as const).map((value) => ({ value, label: t(`cases.tier.${value}`) }))}
        />
      </Form.Item>
      {tier === 1 && (
        <Form.Item
          name="handlerUserId"
          label={t('cases.form.handlerUserId')}
          rules={required(t('cases.form.handlerUserId'))}
          help={handlers.isError ? describeActionError(t, handlers.error) : undefined}
          validateStatus={handlers.isError ? 'error' : undefined}
          extra={
            handlers.data?.length === 0 ? t('cases.form.noTier1Handlers') : t('cases.form.handlerUserIdHint')
          }
        >
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            loading={handlers.isPending}
            options={(handlers.data ?? []).map((handler) => ({
              value: handler.id,
              label: t('cases.page.withCode', {
                name: handler.displayName,
                code: `${t(`role.${handler.role}`)} · ${handler.scopeName ?? handler.scopeCode ?? ''}`,
              }),
            }))}
          />
        </Form.Item>
      )}
      {tier === 2 && (
        <Form.Item name="unitId" label={t('cases.form.unitId')} rules={required(t('cases.form.unitId'))}>
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            loading={organisations.isPending}
            options={unitOptions}
          />
        </Form.Item>
      )}
      {tier === 3 && (
        <Form.Item
          name="unitIds"
          label={t('cases.form.unitIds')}
          rules={[
            {
              required: true,
              type: 'array',
              min: 1,
              message: t('cases.form.required', { field: t('cases.form.unitIds') }),
            },
            // The server refuses a whistle over one unit; the form says so before anything is sent.
            { type: 'array', min: minUnits, message: t('whistle.raiseUnitsMin', { count: minUnits }) },
          ]}
        >
          <Select
            mode="multiple"
            showSearch={{ optionFilterProp: 'label' }}
            loading={organisations.isPending}
            options={unitOptions}
          />
        </Form.Item>
      )}
      {redispatch && <NoteField />}
    </>
  );
}

const MAX_AFTER_PHOTOS = 9;

function FeedbackFields({ caseId }: { caseId: string }) {
  const { t } = useTranslation();
  const required = useRequired();
  // Each photo is uploaded as soon as it is picked, so the handler sees at once whether it went through.
  const upload: UploadProps['customRequest'] = ({ file, onSuccess, onError }) => {
    const name = file instanceof File ? file.name : 'after.jpg';
    if (typeof file === 'string') return;
    uploadAfterPhoto(caseId, file, name).then(
      (media) => onSuccess?.(media),
      (error: unknown) => onError?.(error instanceof Error ? error : new Error(String(error))),
    );
  };
  return (
    <>
      <Form.Item
        name="note"
        label={t('cases.form.feedbackNote')}
        rules={required(t('cases.form.feedbackNote'))}
      >
        <Input.TextArea rows={3} maxLength={1000} />
      </Form.Item>
      <Form.Item
        name="afterPhotos"
        label={t('cases.form.afterPhotos')}
        valuePropName="fileList"
        getValueFromEvent={(event: { fileList: UploadFile[] }) => event.fileList}
      >
        <Upload
          listType="picture-card"
          accept="image/*"
          multiple
          maxCount={MAX_AFTER_PHOTOS}
          customRequest={upload}
        >
          <span>+ {t('cases.form.addPhoto')}</span>
        </Upload>
      </Form.Item>
      <Form.Item
        name="noPhotoReason"
        label={t('cases.form.noPhotoReason')}
        extra={t('cases.form.noPhotoReasonHint')}
        dependencies={['afterPhotos']}
        rules={[
          ({ getFieldValue }) => ({
            validator: (_: unknown, value: string | undefined) =>
              uploadedPhotoIds(getFieldValue('afterPhotos')).length > 0 || value?.trim()
                ? Promise.resolve()
                : Promise.reject(new Error(t('cases.form.noPhotoReasonRequired'))),
          }),
        ]}
      >
        <Input.TextArea rows={2} maxLength={500} />
      </Form.Item>
    </>
  );
}

function ActionFields({ action, detail }: { action: ActionType; detail: CaseDetail }) {
  const { t } = useTranslation();
  const required = useRequired();
  switch (action) {
    case 'accept':
      return <CategoryField suggestedKey={detail.suggestion?.key ?? null} />;
    case 'reject':
      return (
        <>
          <Form.Item
            name="reason"
            label={t('cases.form.rejectReason')}
            rules={required(t('cases.form.rejectReason'))}
          >
            <Radio.Group
              style={{ display: 'flex', flexDirection: 'column', gap: 6 }}
              options={REJECT_REASONS.map((reason) => ({
                value: reason,
                label: t(`cases.rejectReason.${reason}`),
              }))}
            />
          </Form.Item>
          <NoteField />
        </>
      );
    case 'merge':
      return (
        <Form.Item
          name="targetCaseId"
          label={t('cases.form.targetCaseId')}
          rules={required(t('cases.form.targetCaseId'))}
        >
          <Input autoComplete="off" placeholder="110102-20260101-00001" />
        </Form.Item>
      );
    case 'dispatch':
    case 'redispatch':
      return <DispatchFields detail={detail} redispatch={action === 'redispatch'} />;
    case 'feedback':
      return <FeedbackFields caseId={detail.id} />;
    case 'rate':
      return (
        <>
          <Form.Item name="rating" label={t('cases.form.rating')} rules={required(t('cases.form.rating'))}>
            <Radio.Group
              options={RATINGS.map((rating) => ({ value: rating, label: t(`cases.rating.${rating}`) }))}
            />
          </Form.Item>
          <Form.Item name="comment" label={t('cases.form.comment')}>
            <Input.TextArea rows={2} maxLength={1000} />
          </Form.Item>
        </>
      );
    case 'extension_request':
      return (
        <>
          <Form.Item
            name="requestedDeadline"
            label={t('cases.form.requestedDeadline')}
            rules={required(t('cases.form.requestedDeadline'))}
          >
            <Input type="datetime-local" />
          </Form.Item>
          <ReasonField />
        </>
      );
    case 'extension_approve':
      return (
        <>
          <Form.Item name="deadline" label={t('cases.form.deadline')}>
            <Input type="datetime-local" />
          </Form.Item>
          <NoteField />
        </>
      );
    case 'send_back':
    case 'verify_fail':
    case 'refuse_joint_action':
    case 'reopen':
    case 'extension_refuse':
    case 'suspend':
      return <ReasonField />;
    case 'verify_pass':
    case 'accept_joint_action':
    case 'resume':
    case 'supervise':
      return <NoteField />;
    case 'sign':
    case 'report_in':
    case 'handle_on_spot':
      return null;
  }
}

function defaultValues(action: ActionType, detail: CaseDetail): ActionFormValues {
  switch (action) {
    case 'accept':
      // The filing dialog starts from the category given at intake, else the classifier's suggestion.
      return { categoryKey: detail.categoryKey ?? detail.suggestion?.key ?? undefined };
    case 'dispatch':
    case 'redispatch':
      return { tier: 2, unitId: detail.routing?.organisationId };
    default:
      return {};
  }
}

/** One action's form in a dialog: the fields it needs, the server's field errors under them. */
export function ActionForm({
  action,
  detail,
  user,
  initialValues,
  title: titleOverride,
  onClose,
  onDone,
}: ActionFormProps) {
  const { t } = useTranslation();
  const [form] = Form.useForm<ActionFormValues>();
  const mutation = useCaseAction(detail.id);
  const [generalError, setGeneralError] = useState<string | null>(null);
  const title = titleOverride ?? t(`cases.action.${action}`);
  const photos = Form.useWatch('afterPhotos', form) as UploadFile[] | undefined;
  const uploading = (photos ?? []).some((file) => file.status === 'uploading');

  const submit = (values: ActionFormValues) => {
    setGeneralError(null);
    const body = buildActionBody(action, values, user.organisationId);
    mutation.mutate(
      { action, body },
      {
        onSuccess: () => onDone(action),
        onError: (error) => {
          if (error instanceof ApiError && error.code === 'VALIDATION_FAILED') {
            const placed = error.fieldIssues
              .map((issue) => ({ name: formFieldFor(issue.field), errors: [fieldIssueText(t, issue)] }))
              .filter(
                (entry): entry is { name: keyof ActionFormValues; errors: string[] } => entry.name !== null,
              );
            if (placed.length > 0) {
              form.setFields(placed);
              return;
            }
          }
          setGeneralError(describeActionError(t, error));
        },
      },
    );
  };

  return (
    <Modal
      open
      title={title}
      okText={t('cases.form.submit')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={mutation.isPending}
      okButtonProps={{ disabled: uploading }}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{detail.caseNumber}</Typography.Paragraph>
      {generalError && <Alert type="error" showIcon title={generalError} style={{ marginBottom: 16 }} />}
      <Form<ActionFormValues>
        form={form}
        layout="vertical"
        name={`case-action-${action}`}
        initialValues={{ ...defaultValues(action, detail), ...initialValues }}
        onFinish={submit}
        requiredMark
      >
        <ActionFields action={action} detail={detail} />
      </Form>
    </Modal>
  );
}
