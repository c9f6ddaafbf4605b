import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Flex,
  Form,
  Input,
  Modal,
  Select,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../api/client';
import type { ResponseOf } from '../api/contract';
import { describeError } from '../api/describeError';
import type { TaxonomyEntry } from '../cases/caseTypes';

type TaxonomyList = ResponseOf<'/api/taxonomy', 'get'>;

const taxonomyAdminKey = ['taxonomy', 'admin'] as const;

/** The active taxonomy with its version: an edit names the version it was made on. */
function useTaxonomyWithVersion() {
  return useQuery({
    queryKey: taxonomyAdminKey,
    queryFn: ({ signal }) => api.get<TaxonomyList>('/api/taxonomy', undefined, signal),
  });
}

/** Writes a new taxonomy version in which only this entry's keywords differ (PATCH /api/taxonomy/{key}). */
function useSaveKeywords() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (edit: { key: string; keywords: string[]; reason?: string; basedOnVersionId: string }) =>
      api.patch<{ entry: TaxonomyEntry }>(`/api/taxonomy/${encodeURIComponent(edit.key)}`, {
        keywords: edit.keywords,
        basedOnVersionId: edit.basedOnVersionId,
        ...(edit.reason ? { reason: edit.reason } : {}),
      }),
    // Every picker and search of the console reads the taxonomy: all of it is refreshed.
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['taxonomy'] }),
  });
}

/** Words and splits what an administrator types: commas, 、 and spaces separate keywords; repeats go. */
export function normaliseKeywords(values: readonly string[]): string[] {
  return [
    ...new Set(
      values
        .flatMap((value) => value.split(/[,，、;；\s]+/))
        .map((value) => value.trim())
        .filter((value) => value !== ''),
    ),
  ];
}

function KeywordsDialog({
  entry,
  versionId,
  onClose,
}: {
  entry: TaxonomyEntry;
  versionId: string;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ keywords: string[]; reason?: string }>();
  const save = useSaveKeywords();
  const [error, setError] = useState<string | null>(null);

  return (
    <Modal
      open
      title={t('taxonomyAdmin.editTitle', { name: entry.name })}
      okText={t('taxonomyAdmin.save')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={save.isPending}
      destroyOnHidden
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form
        form={form}
        layout="vertical"
        name="taxonomy-keywords"
        initialValues={{ keywords: entry.keywords ?? [] }}
        onFinish={(values) => {
          setError(null);
          save.mutate(
            {
              key: entry.key,
              keywords: normaliseKeywords(values.keywords ?? []),
              reason: values.reason?.trim(),
              basedOnVersionId: versionId,
            },
            {
              onSuccess: () => {
                void message.success(t('taxonomyAdmin.saved', { name: entry.name }));
                onClose();
              },
              onError: (e) =>
                setError(
                  e instanceof ApiError && e.code === 'CONFLICT'
                    ? t('taxonomyAdmin.stale')
                    : e instanceof ApiError && e.code === 'VALIDATION_FAILED'
                      ? t('taxonomyAdmin.invalid')
                      : describeError(t, e),
                ),
            },
          );
        }}
      >
        <Form.Item
          name="keywords"
          label={t('taxonomyAdmin.keywords')}
          extra={t('taxonomyAdmin.keywordsHint')}
        >
          <Select
            mode="tags"
            tokenSeparators={[',', '，', '、']}
            open={false}
            aria-label={t('taxonomyAdmin.keywords')}
            maxCount={50}
          />
        </Form.Item>
        <Form.Item name="reason" label={t('taxonomyAdmin.reason')} extra={t('taxonomyAdmin.reasonHint')}>
          <Input maxLength={200} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/**
 * 问题类型 for the district's administrator: every category of the active taxonomy with the synonyms
 * and keywords search matches, and an edit of them (each edit is a new taxonomy version, kept on the
 * server beside the previous ones).
 */
export function TaxonomyPage() {
  const { t } = useTranslation();
  const taxonomy = useTaxonomyWithVersion();
  const [filter, setFilter] = useState('');
  const [editing, setEditing] = useState<TaxonomyEntry | null>(null);

  const items = useMemo(() => {
    const q = filter.trim();
    const all = taxonomy.data?.items ?? [];
    if (!q) return all;
    return all.filter(
      (entry) =>
        entry.name.includes(q) ||
        entry.code.startsWith(q) ||
        entry.majorClass.includes(q) ||
        (entry.keywords ?? []).some((keyword) => keyword.includes(q)),
    );
  }, [filter, taxonomy.data]);

  const columns: TableColumnsType<TaxonomyEntry> = [
    { title: t('taxonomyAdmin.column.code'), dataIndex: 'code', width: 100 },
    {
      title: t('taxonomyAdmin.column.name'),
      dataIndex: 'name',
      render: (name: string, entry) => (
        <Flex vertical>
          <span>{name}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {entry.majorClass} · {t(`taxonomyAdmin.kind.${entry.kind}`)}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      title: t('taxonomyAdmin.column.keywords'),
      dataIndex: 'keywords',
      render: (keywords: string[] | undefined) => (
        <Flex wrap gap={4}>
          {(keywords ?? []).map((keyword) => (
            <Tag key={keyword}>{keyword}</Tag>
          ))}
        </Flex>
      ),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 120,
      render: (_: unknown, entry) => (
        <Button
          size="small"
          onClick={() => setEditing(entry)}
          aria-label={t('taxonomyAdmin.editFor', { name: entry.name })}
        >
          {t('taxonomyAdmin.edit')}
        </Button>
      ),
    },
  ];

  return (
    <Flex vertical gap={16}>
      <Typography.Title level={2} style={{ fontSize: 20, margin: 0 }}>
        {t('taxonomyAdmin.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        {t('taxonomyAdmin.intro')}
      </Typography.Paragraph>
      <Card size="small">
        <Flex vertical gap={12}>
          <Input.Search
            allowClear
            aria-label={t('taxonomyAdmin.filter')}
            placeholder={t('taxonomyAdmin.filter')}
            value={filter}
            onChange={(event) => setFilter(event.target.value)}
            style={{ maxWidth: 400 }}
          />
          {taxonomy.isError && <Alert type="error" showIcon title={describeError(t, taxonomy.error)} />}
          <Table<TaxonomyEntry>
            rowKey="key"
            size="small"
            loading={taxonomy.isPending}
            dataSource={items}
            columns={columns}
            pagination={{ pageSize: 20, showSizeChanger: false, hideOnSinglePage: true }}
          />
        </Flex>
      </Card>
      {editing && taxonomy.data && (
        <KeywordsDialog
          entry={editing}
          versionId={taxonomy.data.version.id}
          onClose={() => setEditing(null)}
        />
      )}
    </Flex>
  );
}
