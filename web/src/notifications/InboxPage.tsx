import { Alert, Button, Card, Empty, Flex, List, Segmented, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { describeError } from '../api/describeError';
import { formatDateTime } from '../cases/CaseLabels';
import { type NotificationView, useInbox, useMarkRead } from './notificationsApi';

const PAGE = 50;

function NoticeItem({ notice }: { notice: NotificationView }) {
  const { t, i18n } = useTranslation();
  const markRead = useMarkRead();
  const unread = notice.readAt === null;
  return (
    <List.Item
      data-testid="notice"
      data-unread={unread ? 'true' : 'false'}
      style={{ background: unread ? '#f0f5ff' : undefined, paddingInline: 12 }}
      actions={
        unread
          ? [
              <Button
                key="read"
                size="small"
                loading={markRead.isPending && markRead.variables === notice.id}
                onClick={() => markRead.mutate(notice.id)}
                aria-label={t('notifications.markReadOne', { title: notice.title })}
              >
                {t('notifications.markRead')}
              </Button>,
            ]
          : []
      }
    >
      <List.Item.Meta
        title={
          <Flex gap={8} wrap align="center">
            {unread && <Tag color="blue">{t('notifications.unreadTag')}</Tag>}
            {notice.caseId ? (
              <Link
                to={`/cases/${encodeURIComponent(notice.caseNumber ?? notice.caseId)}`}
                onClick={() => unread && markRead.mutate(notice.id)}
              >
                {notice.title}
              </Link>
            ) : (
              <span>{notice.title}</span>
            )}
          </Flex>
        }
        description={
          <>
            <Typography.Paragraph style={{ whiteSpace: 'pre-line', marginBottom: 4 }}>
              {notice.body}
            </Typography.Paragraph>
            <Typography.Text type="secondary">
              {formatDateTime(notice.createdAt, i18n.language)}
            </Typography.Text>
          </>
        }
      />
    </List.Item>
  );
}

/** The signed-in user's inbox: the notices case events left for them, unread first to be seen. */
export function InboxPage() {
  const { t } = useTranslation();
  const [unreadOnly, setUnreadOnly] = useState(false);
  const inbox = useInbox(unreadOnly, PAGE);
  const markAll = useMarkRead();
  const unread = inbox.data?.unread ?? 0;
  return (
    <Card
      title={
        <Typography.Title level={2} style={{ fontSize: 18, margin: 0 }}>
          {t('notifications.title')}
        </Typography.Title>
      }
      extra={
        <Button disabled={unread === 0} loading={markAll.isPending} onClick={() => markAll.mutate(null)}>
          {t('notifications.markAllRead')}
        </Button>
      }
    >
      <Flex vertical gap={12}>
        <Flex gap={12} align="center" wrap>
          <Segmented
            value={unreadOnly ? 'unread' : 'all'}
            onChange={(value) => setUnreadOnly(value === 'unread')}
            options={[
              { value: 'all', label: t('notifications.all') },
              { value: 'unread', label: t('notifications.unreadOnly') },
            ]}
          />
          <Typography.Text type="secondary" data-testid="unread-count">
            {t('notifications.unreadCount', { count: unread })}
          </Typography.Text>
        </Flex>
        {inbox.isError && <Alert type="error" title={describeError(t, inbox.error)} />}
        {markAll.isError && <Alert type="error" title={describeError(t, markAll.error)} />}
        <List
          loading={inbox.isPending}
          dataSource={inbox.data?.items ?? []}
          rowKey="id"
          locale={{ emptyText: <Empty description={t('notifications.empty')} /> }}
          renderItem={(notice) => <NoticeItem notice={notice} />}
        />
      </Flex>
    </Card>
  );
}
