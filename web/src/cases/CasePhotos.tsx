import { Col, Empty, Flex, Image, Row, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { MediaView } from './caseTypes';

function PhotoColumn({ title, photos }: { title: string; photos: MediaView[] }) {
  const { t } = useTranslation();
  return (
    <Flex vertical gap={8}>
      <Typography.Title level={4} style={{ fontSize: 14, margin: 0 }}>
        {title}
      </Typography.Title>
      {photos.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('cases.page.noPhotos')} />
      ) : (
        <Image.PreviewGroup>
          <Flex wrap gap={8}>
            {photos.map((photo, index) => (
              <Image
                key={photo.id}
                src={photo.thumbUrl}
                preview={{ src: photo.url }}
                width={120}
                height={120}
                style={{ objectFit: 'cover', borderRadius: 4 }}
                alt={t('cases.page.photoAlt', { which: title, index: index + 1 })}
              />
            ))}
          </Flex>
        </Image.PreviewGroup>
      )}
    </Flex>
  );
}

/** Before and after side by side, so whoever verifies compares the same place at a glance. */
export function CasePhotos({ before, after }: { before: MediaView[]; after: MediaView[] }) {
  const { t } = useTranslation();
  return (
    <Row gutter={16}>
      <Col span={12}>
        <PhotoColumn title={t('cases.page.before')} photos={before} />
      </Col>
      <Col span={12}>
        <PhotoColumn title={t('cases.page.after')} photos={after} />
      </Col>
    </Row>
  );
}
