import { App, AutoComplete, Form, Input, Modal, Select } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../api/describeError';
import { applyFieldErrors } from '../api/formErrors';
import { type NewUser, ROLES, type Role } from '../api/types';
import { useOrganisations, useStreets } from '../territory/territoryApi';
import { useCreateUser, useRoleRules } from './usersApi';

const SCOPE_CODE = /^\d{6}(\d{3}){0,3}$/;

interface CreateUserFormValues {
  username: string;
  displayName: string;
  password: string;
  role: Role;
  scopeCode?: string;
  organisationId?: string | null;
  phone?: string;
}

function useScopeOptions() {
  const streets = useStreets();
  return useMemo(() => {
    const districts = new Set((streets.data ?? []).map((street) => street.districtCode));
    return [
      ...[...districts].map((code) => ({ value: code, label: code })),
      ...(streets.data ?? []).map((street) => ({
        value: street.code,
        label: `${street.code} ${street.name}`,
      })),
    ];
  }, [streets.data]);
}

function toNewUser(values: CreateUserFormValues): NewUser {
  const user: NewUser = {
    username: values.username.trim(),
    displayName: values.displayName.trim(),
    password: values.password,
    role: values.role,
  };
  const scopeCode = values.scopeCode?.trim();
  if (scopeCode) user.scopeCode = scopeCode;
  if (values.organisationId) user.organisationId = values.organisationId;
  const phone = values.phone?.trim();
  if (phone) user.phone = phone;
  return user;
}

export function CreateUserModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<CreateUserFormValues>();
  const role = Form.useWatch('role', form);
  const organisations = useOrganisations();
  const createUser = useCreateUser();
  const scopeOptions = useScopeOptions();

  const roleRules = useRoleRules();
  // The server's rules for the chosen role; the server judges the account again when it is sent.
  const rules = role ? roleRules.data?.get(role) : undefined;
  const organisationKind = rules?.organisationKind;
  const organisationOptions = (organisations.data ?? [])
    .filter((organisation) => !organisationKind || organisation.kind === organisationKind)
    .map((organisation) => ({ value: organisation.id, label: organisation.name }));

  const required = (field: string) => ({
    required: true,
    whitespace: true,
    message: t('users.required', { field }),
  });

  const submit = (values: CreateUserFormValues) => {
    createUser.mutate(toNewUser(values), {
      onSuccess: (user) => {
        void message.success(t('users.created', { username: user.username }));
        form.resetFields();
        onClose();
      },
      onError: (error) => {
        if (!applyFieldErrors(form, error, t)) void message.error(describeError(t, error));
      },
    });
  };

  return (
    <Modal
      open={open}
      title={t('users.createTitle')}
      okText={t('users.create')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={() => {
        form.resetFields();
        onClose();
      }}
      confirmLoading={createUser.isPending}
      // Rendered while closed too, so the form instance is always connected to its Form.
      forceRender
    >
      <Form<CreateUserFormValues> form={form} layout="vertical" onFinish={submit} name="create-user">
        <Form.Item name="username" label={t('users.username')} rules={[required(t('users.username'))]}>
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item
          name="displayName"
          label={t('users.displayName')}
          rules={[required(t('users.displayName'))]}
        >
          <Input />
        </Form.Item>
        <Form.Item name="password" label={t('users.password')} rules={[required(t('users.password'))]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="role"
          label={t('users.role')}
          rules={[{ required: true, message: t('users.required', { field: t('users.role') }) }]}
        >
          <Select
            options={ROLES.map((value) => ({ value, label: t(`role.${value}`) }))}
            onChange={() => form.setFieldValue('organisationId', null)}
          />
        </Form.Item>
        <Form.Item
          name="scopeCode"
          label={t('users.scope')}
          extra={t('users.scopeHint')}
          // Left empty for accounts without a jurisdiction (a global system administrator).
          rules={[
            { pattern: SCOPE_CODE, message: t('users.scopeInvalid') },
            {
              required: rules?.needsJurisdiction ?? false,
              message: t('users.required', { field: t('users.scope') }),
            },
          ]}
        >
          <AutoComplete
            options={scopeOptions}
            showSearch={{ filterOption: (input, option) => String(option?.label ?? '').includes(input) }}
          />
        </Form.Item>
        <Form.Item
          name="organisationId"
          label={t('users.organisation')}
          rules={[
            {
              required: Boolean(organisationKind),
              message: t('users.required', { field: t('users.organisation') }),
            },
          ]}
        >
          <Select
            options={organisationOptions}
            loading={organisations.isPending}
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={t('users.organisationNone')}
          />
        </Form.Item>
        <Form.Item name="phone" label={t('users.phone')}>
          <Input type="tel" autoComplete="off" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
