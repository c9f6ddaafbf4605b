import { App, Button, Flex, Input, Popconfirm, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../api/describeError';
import type { ManagedUser, Role } from '../api/types';
import { useCurrentUser } from '../auth/currentUser';
import { CreateUserModal } from './CreateUserModal';
import { USER_PAGE_SIZE, useSetUserActive, useUsers } from './usersApi';

function ActiveToggle({ user }: { user: ManagedUser }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const me = useCurrentUser();
  const setActive = useSetUserActive();
  const name = user.displayName || user.username;

  const apply = (active: boolean) =>
    setActive.mutate(
      { id: user.id, active },
      {
        onSuccess: () => void message.success(t(active ? 'users.activated' : 'users.deactivated', { name })),
        onError: (error) => void message.error(describeError(t, error)),
      },
    );

  if (!user.active) {
    return (
      <Button size="small" loading={setActive.isPending} onClick={() => apply(true)}>
        {t('users.activate')}
      </Button>
    );
  }
  return (
    <Popconfirm
      title={t('users.confirmDeactivate', { name })}
      okText={t('users.deactivate')}
      cancelText={t('common.cancel')}
      onConfirm={() => apply(false)}
    >
      {/* Deactivating yourself would lock you out mid-session; the server refuses it as well. */}
      <Button size="small" danger loading={setActive.isPending} disabled={user.id === me.id}>
        {t('users.deactivate')}
      </Button>
    </Popconfirm>
  );
}

export function UsersPage() {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [page, setPage] = useState(1);
  const [creating, setCreating] = useState(false);
  const users = useUsers({
    q: search || undefined,
    limit: USER_PAGE_SIZE,
    offset: (page - 1) * USER_PAGE_SIZE,
  });

  const columns: TableColumnsType<ManagedUser> = [
    { title: t('users.username'), dataIndex: 'username' },
    { title: t('users.displayName'), dataIndex: 'displayName' },
    { title: t('users.role'), dataIndex: 'role', render: (role: Role) => t(`role.${role}`) },
    {
      title: t('users.scope'),
      key: 'scope',
      render: (_, user) => user.scopeName ?? user.scopeCode ?? '—',
    },
    {
      title: t('users.organisation'),
      dataIndex: 'organisationName',
      render: (name: string | null) => name ?? '—',
      responsive: ['lg'],
    },
    {
      title: t('users.status'),
      dataIndex: 'active',
      render: (active: boolean) =>
        active ? <Tag color="green">{t('users.active')}</Tag> : <Tag>{t('users.inactive')}</Tag>,
    },
    { title: t('common.actions'), key: 'actions', render: (_, user) => <ActiveToggle user={user} /> },
  ];

  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={2} style={{ fontSize: 20, margin: 0 }}>
          {t('users.title')}
        </Typography.Title>
        <Flex gap={8} wrap>
          <Input.Search
            aria-label={t('users.search')}
            placeholder={t('users.search')}
            allowClear
            onSearch={(text) => {
              setSearch(text.trim());
              setPage(1);
            }}
            style={{ width: 260 }}
          />
          <Button type="primary" onClick={() => setCreating(true)}>
            {t('users.create')}
          </Button>
        </Flex>
      </Flex>
      {users.isError && (
        <Typography.Text type="danger" role="alert">
          {describeError(t, users.error)}
        </Typography.Text>
      )}
      <Table<ManagedUser>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={users.data?.items ?? []}
        loading={users.isFetching}
        pagination={{
          current: page,
          pageSize: USER_PAGE_SIZE,
          total: users.data?.total ?? 0,
          showSizeChanger: false,
          showTotal: (total) => t('common.total', { count: total }),
          onChange: setPage,
        }}
      />
      <CreateUserModal open={creating} onClose={() => setCreating(false)} />
    </Flex>
  );
}
